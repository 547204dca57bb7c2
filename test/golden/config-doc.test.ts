/**
 * README's configuration table, the schema, config/default.json and the docker files agree with
 * src/config/env-vars.ts (issue 2 item 2; style-and-layout.md rule 18).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import type { TSchema } from '@sinclair/typebox'
import { ENV_VARS } from '../../src/config/env-vars.js'
import { ConfigSchema } from '../../src/config/schema.js'
import { renderConfigTable } from './readme-tables.js'

const root = new URL('../../', import.meta.url)
const read = (file: string): string => readFileSync(new URL(file, root), 'utf8')
const defaults = JSON.parse(read('config/default.json')) as Record<string, unknown>

/** The variables of architecture.md section 9, which every deployment may rely on. */
const ARCHITECTURE_VARS = [
  'NMS_HTTP_HOST', 'NMS_HTTP_PORT', 'NMS_PUBLIC_URL', 'NMS_STORE_NAME', 'NMS_IMAP_HOST', 'NMS_IMAP_PORT',
  'NMS_IMAP_SECURITY', 'NMS_IMAP_AUTH', 'NMS_IMAP_MASTER_USER', 'NMS_IMAP_MASTER_PASSWORD', 'NMS_IMAP_USER_TEMPLATE',
  'NMS_REDIS_URL', 'NMS_AUTH_JWKS_URL', 'NMS_AUTH_JWKS_FILE', 'NMS_AUTH_HS256_SECRET', 'NMS_AUTH_ISSUER',
  'NMS_AUTH_AUDIENCE', 'NMS_AUTH_BOX_CLAIM', 'NMS_AUTH_SERVER_SCOPE', 'NMS_CALLBACK_ALLOW_PRIVATE', 'NMS_LOG_LEVEL',
  'NMS_WATCH_SWEEP_SECONDS', 'NMS_NC_HOLD_SECONDS', 'NMS_MAX_BODY_BYTES', 'NMS_TOKEN_RETENTION_SECONDS',
  'NMS_LEASE_SECONDS'
]

/** Defaults shown as words: the value is absent from default.json. */
const ABSENT_DEFAULTS = new Set(['none', 'unset', 'generated'])

function schemaAt (dotted: string): TSchema | undefined {
  let node: TSchema | undefined = ConfigSchema
  for (const part of dotted.split('.')) {
    const props: Record<string, TSchema> | undefined = (node as { properties?: Record<string, TSchema> } | undefined)
      ?.properties
    node = props?.[part]
  }
  return node
}

function valueAt (obj: unknown, dotted: string): unknown {
  let node = obj
  for (const part of dotted.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return node
}

/** JSON types a schema node accepts (a union of literals counts as its literals' type). */
function schemaTypes (s: TSchema): string[] {
  if (typeof s.type === 'string') return [s.type]
  const anyOf = (s as { anyOf?: TSchema[] }).anyOf
  return anyOf === undefined ? [] : [...new Set(anyOf.flatMap(schemaTypes))]
}

describe('configuration documentation', () => {
  it('README contains the configuration table generated from ENV_VARS', () => {
    const readme = read('README.md')
    const table = renderConfigTable()
    assert.ok(readme.includes(`${table}\n`), `README.md must contain verbatim:\n${table}`)
  })

  it('covers every variable of the architecture contract, each once', () => {
    const names = ENV_VARS.map((v) => v.name)
    assert.equal(new Set(names).size, names.length, 'unique names')
    assert.equal(new Set(ENV_VARS.map((v) => v.path)).size, names.length, 'unique paths')
    for (const name of ARCHITECTURE_VARS) assert.ok(names.includes(name), `${name} missing`)
    for (const name of names) assert.match(name, /^NMS_[A-Z0-9_]+$/)
  })

  it('maps every variable to a schema path of its kind', () => {
    const expected = { string: 'string', integer: 'integer', boolean: 'boolean', list: 'array' } as const
    for (const v of ENV_VARS) {
      const s = schemaAt(v.path)
      assert.ok(s !== undefined, `${v.name}: ${v.path} is not in src/config/schema.ts`)
      assert.deepEqual(schemaTypes(s), [expected[v.kind]], `${v.name}: schema type of ${v.path}`)
      if (v.secret === true) assert.equal(v.kind, 'string', `${v.name}: secrets are strings`)
    }
  })

  it('shows the defaults config/default.json really has', () => {
    for (const v of ENV_VARS) {
      const value = valueAt(defaults, v.path)
      if (value === undefined) {
        // NMS_PUBLIC_URL is derived from host and port when unset (src/nms/public-url.ts).
        const derived = v.name === 'NMS_PUBLIC_URL' && v.defaultText === 'http://{host}:{port}'
        assert.ok(ABSENT_DEFAULTS.has(v.defaultText) || derived, `${v.name}: no default in config/default.json, README says ${v.defaultText}`)
        continue
      }
      if (Array.isArray(value)) {
        const text = value.join(',')
        if (v.defaultText.includes('…')) {
          const [head, tail] = v.defaultText.split('…')
          assert.ok(text.startsWith(head ?? '') && text.endsWith(tail ?? ''), `${v.name}: ${text} vs ${v.defaultText}`)
        } else {
          assert.equal(text, v.defaultText, v.name)
        }
        continue
      }
      assert.equal(String(value), v.defaultText, v.name)
    }
  })

  it('names only real variables in README and docker/', () => {
    const known = new Set(ENV_VARS.map((v) => v.name))
    known.add('NMS_CONFIG')
    for (const v of ENV_VARS) if (v.secret === true) known.add(`${v.name}_FILE`)
    for (const file of ['README.md', 'docker/compose.yml', 'docker/Dockerfile']) {
      for (const [name] of read(file).matchAll(/\bNMS_[A-Z0-9_]+\b/g)) {
        assert.ok(known.has(name), `${file} names ${name}, which the loader does not read`)
      }
    }
  })
})
