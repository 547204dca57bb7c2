/**
 * docker/ is configured exactly like the test harness (issue 2 item 11): dovecot.conf is the
 * harness's own rendering for container parameters, and compose.yml's gateway environment
 * matches the passwd files and the harness's login mode.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { DOCKER_DOVECOT_CONF, DOCKER_DOVECOT_PARAMS, dockerDovecotConf } from './docker-dovecot.js'
import { DEMO_IMAP_USER } from '../../src/devenv/demo-seed.js'

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')

/** `KEY: value` lines of compose.yml's gateway environment (flat YAML, no parser needed). */
function composeEnv (): Map<string, string> {
  const env = new Map<string, string>()
  for (const [, key, value] of read('docker/compose.yml').matchAll(/^ {6}(NMS_[A-Z0-9_]+): *"?([^"\n]*)"?$/gm)) {
    env.set(key ?? '', value ?? '')
  }
  return env
}

describe('docker/', () => {
  it('dovecot.conf is renderDovecotConf() for the container parameters', () => {
    assert.equal(readFileSync(DOCKER_DOVECOT_CONF, 'utf8'), dockerDovecotConf(),
      'regenerate with: node --import tsx test/golden/docker-dovecot.ts')
  })

  it('compose mounts the files dovecot.conf names', () => {
    const compose = read('docker/compose.yml')
    for (const file of ['dovecot.conf', 'users', 'master-users']) {
      assert.ok(compose.includes(`./dovecot/${file}:${DOCKER_DOVECOT_PARAMS.dir}/${file}:ro`), file)
    }
    assert.ok(compose.includes(`mail:${DOCKER_DOVECOT_PARAMS.dir}/mail`))
  })

  it('the gateway logs in like the harness, with the master user of master-users', () => {
    const env = composeEnv()
    const [name, password] = read('docker/dovecot/master-users').trim().split(':{PLAIN}')
    assert.equal(env.get('NMS_IMAP_MASTER_USER'), name)
    assert.equal(env.get('NMS_IMAP_MASTER_PASSWORD'), password)
    assert.equal(env.get('NMS_IMAP_AUTH'), 'authzid')
    assert.equal(env.get('NMS_IMAP_SECURITY'), 'none')
    assert.equal(env.get('NMS_IMAP_HOST'), 'dovecot')
    assert.equal(env.get('NMS_IMAP_PORT'), String(DOCKER_DOVECOT_PARAMS.port))
    assert.equal(env.get('NMS_REDIS_URL'), 'redis://redis:6379')
  })

  it('provisions the demo box with a mail home under the mail volume', () => {
    const line = read('docker/dovecot/users').split('\n').find((l) => l.startsWith(`${DEMO_IMAP_USER}:`))
    assert.ok(line !== undefined, 'demo box user')
    assert.ok(line.endsWith(`::${DOCKER_DOVECOT_PARAMS.dir}/mail/${DEMO_IMAP_USER}`), line)
  })

  it('the runtime image is non-root and starts the compiled server', () => {
    const dockerfile = read('docker/Dockerfile')
    assert.match(dockerfile, /^USER node$/m)
    assert.match(dockerfile, /^CMD \["node", "dist\/src\/server\.js"\]$/m)
    assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m)
    assert.match(dockerfile, /npm ci --omit=dev/)
  })
})
