/**
 * The configuration loader (issue 2 item 2, architecture.md section 9): every environment
 * variable lands at its path with its type, `<NAME>_FILE` secrets, the merge order
 * default.json -> NMS_CONFIG file -> environment -> overrides, and one ConfigError listing every
 * problem of an invalid configuration.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ConfigError, loadConfig, mergeConfig } from '../../../src/config/load.js'
import { ENV_VARS } from '../../../src/config/env-vars.js'
import type { Config } from '../../../src/config/schema.js'
import { publicBaseUrl } from '../../../src/nms/public-url.js'

/** The least an environment must say: master credentials (authzid) and one key source. */
const MINIMAL = {
  NMS_IMAP_MASTER_USER: 'master',
  NMS_IMAP_MASTER_PASSWORD: 'master-password',
  NMS_AUTH_HS256_SECRET: 'x'.repeat(32)
}

function valueAt (config: unknown, dotted: string): unknown {
  let node: unknown = config
  for (const part of dotted.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return node
}

function problemsOf (fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`)
    return err.problems
  }
  assert.fail('expected a ConfigError')
}

/**
 * A raw value for every variable and what it must become. Every entry of ENV_VARS needs one
 * (checked below), so a new variable cannot go untested. Values differ from the defaults.
 */
const SAMPLES: Record<string, { raw: string, expected: unknown }> = {
  NMS_HTTP_HOST: { raw: '0.0.0.0', expected: '0.0.0.0' },
  NMS_HTTP_PORT: { raw: '9090', expected: 9090 },
  NMS_PUBLIC_URL: { raw: 'https://nms.example.com/gw', expected: 'https://nms.example.com/gw' },
  NMS_STORE_NAME: { raw: 'main', expected: 'main' },
  NMS_IMAP_HOST: { raw: 'imap.example.com', expected: 'imap.example.com' },
  NMS_IMAP_PORT: { raw: '993', expected: 993 },
  NMS_IMAP_SECURITY: { raw: 'tls', expected: 'tls' },
  NMS_IMAP_TLS_REJECT_UNAUTHORIZED: { raw: 'false', expected: false },
  NMS_IMAP_AUTH: { raw: 'separator', expected: 'separator' },
  NMS_IMAP_MASTER_USER: { raw: 'admin', expected: 'admin' },
  NMS_IMAP_MASTER_PASSWORD: { raw: 's3cret', expected: 's3cret' },
  NMS_IMAP_USER_TEMPLATE: { raw: '{user}@example.com', expected: '{user}@example.com' },
  NMS_REDIS_URL: { raw: 'redis://redis.example.com:6380/2', expected: 'redis://redis.example.com:6380/2' },
  NMS_AUTH_JWKS_URL: { raw: 'https://idp.example.com/jwks.json', expected: 'https://idp.example.com/jwks.json' },
  NMS_AUTH_JWKS_FILE: { raw: '/etc/nms/jwks.json', expected: '/etc/nms/jwks.json' },
  NMS_AUTH_HS256_SECRET: { raw: 'k'.repeat(40), expected: 'k'.repeat(40) },
  NMS_AUTH_ISSUER: { raw: 'https://idp.example.com/', expected: 'https://idp.example.com/' },
  NMS_AUTH_AUDIENCE: { raw: 'nms', expected: 'nms' },
  NMS_AUTH_BOX_CLAIM: { raw: 'msisdn', expected: 'msisdn' },
  NMS_AUTH_SERVER_SCOPE: { raw: 'nms:admin', expected: 'nms:admin' },
  NMS_AUTH_ALGORITHMS: { raw: 'RS256, ES256,,EdDSA', expected: ['RS256', 'ES256', 'EdDSA'] },
  NMS_CALLBACK_ALLOW_PRIVATE: { raw: 'yes', expected: true },
  NMS_LOG_LEVEL: { raw: 'debug', expected: 'debug' },
  NMS_WATCH_SWEEP_SECONDS: { raw: '7', expected: 7 },
  NMS_NC_HOLD_SECONDS: { raw: '45', expected: 45 },
  NMS_MAX_BODY_BYTES: { raw: '1048576', expected: 1048576 },
  NMS_TOKEN_RETENTION_SECONDS: { raw: '86400', expected: 86400 },
  NMS_TOKEN_SECRET: { raw: 't'.repeat(32), expected: 't'.repeat(32) },
  NMS_LEASE_SECONDS: { raw: '20', expected: 20 },
  NMS_PROTECTED_FOLDERS: { raw: '/INBOX,/Archive', expected: ['/INBOX', '/Archive'] },
  NMS_SERVER_ONLY_FOLDERS: { raw: '/Default, /System', expected: ['/Default', '/System'] },
  NMS_SEARCH_MAX_ENTRIES: { raw: '250', expected: 250 },
  NMS_SEARCH_SCAN_LIMIT: { raw: '2000', expected: 2000 }
}

/** Key sources are mutually exclusive: each is loaded on its own. */
const KEY_SOURCES = ['NMS_AUTH_JWKS_URL', 'NMS_AUTH_JWKS_FILE', 'NMS_AUTH_HS256_SECRET']

describe('loadConfig: environment variables', () => {
  it('has a sample for every variable of ENV_VARS', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), ENV_VARS.map((v) => v.name).sort())
  })

  it('puts every variable at its path with its type', () => {
    const env: Record<string, string> = {}
    for (const v of ENV_VARS) {
      if (!KEY_SOURCES.includes(v.name)) env[v.name] = SAMPLES[v.name]?.raw ?? ''
    }
    for (const source of KEY_SOURCES) {
      const config = loadConfig({ env: { ...env, [source]: SAMPLES[source]?.raw ?? '' } })
      for (const v of ENV_VARS) {
        if (KEY_SOURCES.includes(v.name) && v.name !== source) {
          assert.equal(valueAt(config, v.path), undefined, `${v.name} unset`)
          continue
        }
        assert.deepEqual(valueAt(config, v.path), SAMPLES[v.name]?.expected, `${v.name} -> ${v.path}`)
      }
    }
  })

  it('ignores empty variables (the default holds)', () => {
    const config = loadConfig({ env: { ...MINIMAL, NMS_HTTP_PORT: '', NMS_LOG_LEVEL: '' } })
    assert.equal(config.http.port, 8080)
    assert.equal(config.log.level, 'info')
  })

  it('accepts the usual boolean spellings', () => {
    for (const [raw, expected] of [['1', true], ['on', true], ['TRUE', true], ['0', false], ['off', false], ['No', false]] as const) {
      const config = loadConfig({ env: { ...MINIMAL, NMS_CALLBACK_ALLOW_PRIVATE: raw } })
      assert.equal(config.callbacks.allowPrivate, expected, raw)
    }
  })

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ env: MINIMAL })
    assert.ok(Object.isFrozen(config))
    assert.ok(Object.isFrozen(config.imap.pool))
    assert.ok(Object.isFrozen(config.folders.protected))
    assert.throws(() => { (config.http as { port: number }).port = 1 }, TypeError)
  })
})

describe('loadConfig: <NAME>_FILE secrets', () => {
  let dir = ''
  before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'nms-config-test-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  async function secretFile (name: string, content: string): Promise<string> {
    const file = path.join(dir, name)
    await writeFile(file, content, { mode: 0o600 })
    return file
  }

  it('reads every secret variable from its file, without the trailing newline', async () => {
    const secrets = ENV_VARS.filter((v) => v.secret === true)
    assert.deepEqual(secrets.map((v) => v.name).sort(),
      ['NMS_AUTH_HS256_SECRET', 'NMS_IMAP_MASTER_PASSWORD', 'NMS_REDIS_URL', 'NMS_TOKEN_SECRET'])
    const env: Record<string, string> = { NMS_IMAP_MASTER_USER: 'master' }
    for (const v of secrets) env[`${v.name}_FILE`] = await secretFile(v.name, `${SAMPLES[v.name]?.raw ?? ''}\n`)
    const config = loadConfig({ env })
    for (const v of secrets) assert.deepEqual(valueAt(config, v.path), SAMPLES[v.name]?.expected, v.name)
  })

  it('prefers the variable itself over its _FILE', async () => {
    const file = await secretFile('pw-file', 'from-file\n')
    const config = loadConfig({ env: { ...MINIMAL, NMS_IMAP_MASTER_PASSWORD: 'from-env', NMS_IMAP_MASTER_PASSWORD_FILE: file } })
    assert.equal(config.imap.masterPassword, 'from-env')
  })

  it('does not read _FILE for variables that are not secrets', async () => {
    const file = await secretFile('host-file', 'imap.from-file.example\n')
    const config = loadConfig({ env: { ...MINIMAL, NMS_IMAP_HOST_FILE: file } })
    assert.equal(config.imap.host, '127.0.0.1')
  })

  it('reports an unreadable _FILE by its variable name', () => {
    const problems = problemsOf(() => loadConfig({
      env: { NMS_IMAP_MASTER_USER: 'm', NMS_IMAP_MASTER_PASSWORD: 'p', NMS_AUTH_HS256_SECRET_FILE: path.join(dir, 'missing') }
    }))
    assert.ok(problems.some((p) => p.startsWith('NMS_AUTH_HS256_SECRET_FILE:') && p.includes('ENOENT')), problems.join('\n'))
  })
})

describe('loadConfig: merge order', () => {
  let dir = ''
  before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'nms-config-test-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  async function configFile (content: unknown): Promise<string> {
    const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`)
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content))
    return file
  }

  it('applies default.json, then the NMS_CONFIG file, then the environment, then overrides', async () => {
    const file = await configFile({
      http: { port: 9000, host: '10.0.0.1' },
      imap: { host: 'imap.file.example', pool: { maxTotal: 50 } },
      log: { level: 'warn' },
      folders: { protected: ['/INBOX', '/Keep'] }
    })
    const config = loadConfig({
      env: { ...MINIMAL, NMS_CONFIG: file, NMS_IMAP_HOST: 'imap.env.example', NMS_LOG_LEVEL: 'error' },
      overrides: { log: { level: 'fatal' } }
    })
    assert.equal(config.http.port, 9000, 'file over default')
    assert.equal(config.http.host, '10.0.0.1', 'file over default')
    assert.equal(config.imap.host, 'imap.env.example', 'environment over file')
    assert.equal(config.log.level, 'fatal', 'overrides over environment')
    assert.equal(config.imap.pool.maxTotal, 50, 'nested value from the file')
    assert.equal(config.imap.pool.maxPerBox, 2, 'siblings keep their defaults (deep merge)')
    assert.equal(config.imap.security, 'starttls', 'untouched default')
    assert.deepEqual(config.folders.protected, ['/INBOX', '/Keep'], 'arrays are replaced, not merged')
  })

  it('lets the environment replace a list from the file', async () => {
    const file = await configFile({ folders: { serverOnly: ['/A', '/B'] } })
    const config = loadConfig({ env: { ...MINIMAL, NMS_CONFIG: file, NMS_SERVER_ONLY_FOLDERS: '/C' } })
    assert.deepEqual(config.folders.serverOnly, ['/C'])
  })

  it('reports a malformed, non-object or missing NMS_CONFIG file', async () => {
    for (const content of ['{ not json', '[1, 2]']) {
      const file = await configFile(content)
      const problems = problemsOf(() => loadConfig({ env: { ...MINIMAL, NMS_CONFIG: file } }))
      assert.ok(problems.some((p) => p.startsWith(`${file}:`)), problems.join('\n'))
    }
    const missing = path.join(dir, 'nope.json')
    const problems = problemsOf(() => loadConfig({ env: { ...MINIMAL, NMS_CONFIG: missing } }))
    assert.ok(problems.some((p) => p.startsWith(missing)), problems.join('\n'))
  })

  it('refuses keys the schema does not know', async () => {
    const file = await configFile({ http: { prot: 8080 } })
    const problems = problemsOf(() => loadConfig({ env: { ...MINIMAL, NMS_CONFIG: file } }))
    assert.ok(problems.some((p) => p.startsWith('http')), problems.join('\n'))
  })

  it('mergeConfig merges objects deeply and replaces arrays and scalars', () => {
    assert.deepEqual(
      mergeConfig({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, d: 'y', e: true }),
      { a: { b: 1, c: [3] }, d: 'y', e: true })
  })
})

describe('loadConfig: invalid configuration', () => {
  it('lists every problem at once, naming the variables', () => {
    const problems = problemsOf(() => loadConfig({
      env: {
        NMS_HTTP_PORT: '70000',
        NMS_IMAP_SECURITY: 'ssl',
        NMS_IMAP_AUTH: 'authzid',
        NMS_IMAP_PORT: 'imap',
        NMS_CALLBACK_ALLOW_PRIVATE: 'maybe',
        NMS_LOG_LEVEL: 'loud',
        NMS_AUTH_HS256_SECRET: 'x'.repeat(32)
      }
    }))
    const expect = [
      /^http\.port \(NMS_HTTP_PORT\)/,
      /^imap\.security \(NMS_IMAP_SECURITY\)/,
      /NMS_IMAP_MASTER_USER, NMS_IMAP_MASTER_PASSWORD\): required when NMS_IMAP_AUTH is authzid/,
      /^NMS_IMAP_PORT: "imap" is not an integer/,
      /^NMS_CALLBACK_ALLOW_PRIVATE: "maybe" is not a boolean/,
      /^log\.level \(NMS_LOG_LEVEL\)/
    ]
    for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `${String(re)} in:\n${problems.join('\n')}`)
  })

  it('puts every problem in the error message', () => {
    try {
      loadConfig({ env: { NMS_HTTP_PORT: '-1', NMS_IMAP_SECURITY: 'ssl' } })
      assert.fail('expected a ConfigError')
    } catch (err) {
      assert.ok(err instanceof ConfigError)
      assert.equal(err.name, 'ConfigError')
      assert.ok(err.problems.length >= 4, err.message)
      for (const p of err.problems) assert.ok(err.message.includes(p))
    }
  })

  it('requires exactly one token key source', () => {
    const master = { NMS_IMAP_MASTER_USER: 'm', NMS_IMAP_MASTER_PASSWORD: 'p' }
    const none = problemsOf(() => loadConfig({ env: master }))
    assert.ok(none.some((p) => p.includes('exactly one key source must be set, found 0')), none.join('\n'))
    const two = problemsOf(() => loadConfig({ env: { ...master, NMS_AUTH_HS256_SECRET: 'x'.repeat(32), NMS_AUTH_JWKS_FILE: '/k.json' } }))
    assert.ok(two.some((p) => p.includes('found 2')), two.join('\n'))
  })

  it('refuses a short HS256 secret, a relative public URL, `none` as algorithm and a bad folder path', () => {
    const problems = problemsOf(() => loadConfig({
      env: {
        ...MINIMAL,
        NMS_AUTH_HS256_SECRET: 'short',
        NMS_PUBLIC_URL: 'nms.example.com',
        NMS_AUTH_ALGORITHMS: 'RS256,none',
        NMS_PROTECTED_FOLDERS: 'INBOX'
      }
    }))
    for (const name of ['NMS_AUTH_HS256_SECRET', 'NMS_PUBLIC_URL', 'NMS_AUTH_ALGORITHMS', 'NMS_PROTECTED_FOLDERS']) {
      assert.ok(problems.some((p) => p.includes(name) || p.startsWith(ENV_VARS.find((v) => v.name === name)?.path ?? '?')), `${name} in:\n${problems.join('\n')}`)
    }
  })

  it('needs no master user for oauthbearer', () => {
    const config = loadConfig({ env: { NMS_IMAP_AUTH: 'oauthbearer', NMS_AUTH_JWKS_URL: 'https://idp.example.com/jwks' } })
    assert.equal(config.imap.auth, 'oauthbearer')
    assert.equal(config.imap.masterUser, undefined)
  })
})

describe('loadConfig: defaults', () => {
  it('equal the table of architecture.md section 9', () => {
    const config: Readonly<Config> = loadConfig({ env: MINIMAL })
    const expected: Record<string, unknown> = {
      'http.host': '127.0.0.1',
      'http.port': 8080,
      'http.publicUrl': undefined,
      'nms.storeName': 'base',
      'imap.host': '127.0.0.1',
      'imap.port': 143,
      'imap.security': 'starttls',
      'imap.auth': 'authzid',
      'imap.userTemplate': '{user}',
      'redis.url': undefined,
      'auth.jwksUrl': undefined,
      'auth.jwksFile': undefined,
      'auth.issuer': undefined,
      'auth.audience': undefined,
      'auth.boxClaim': 'sub',
      'auth.serverScope': 'nms:server',
      'callbacks.allowPrivate': false,
      'log.level': 'info',
      'watch.sweepSeconds': 5,
      'notificationChannel.holdSeconds': 30,
      'http.maxBodyBytes': 26214400,
      'tokens.retentionSeconds': 2592000,
      'lease.seconds': 15
    }
    for (const [dotted, value] of Object.entries(expected)) assert.deepEqual(valueAt(config, dotted), value, dotted)
    assert.equal(publicBaseUrl(config), 'http://127.0.0.1:8080', 'NMS_PUBLIC_URL defaults to http://{host}:{port}')
  })

  it('allow neither `none` nor HS256 by default', () => {
    const config = loadConfig({ env: MINIMAL })
    assert.ok(!config.auth.algorithms.includes('none'))
    assert.ok(!config.auth.algorithms.includes('HS256'))
    assert.deepEqual(config.folders.protected, ['/INBOX'])
    assert.deepEqual(config.folders.serverOnly, ['/Default'])
  })
})
