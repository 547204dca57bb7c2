/**
 * The parameters docker/dovecot/dovecot.conf is rendered with: the harness's own
 * `renderDovecotConf` (src/devenv/dovecot-conf.ts) for a container running Dovecot as root,
 * with everything under /srv/dovecot and IMAP on port 143 of every interface (the compose
 * network). test/golden/docker-dovecot.test.ts re-renders and compares, so the container and the
 * test harness cannot drift apart. After a deliberate change to dovecot-conf.ts, rewrite the
 * file with `node --import tsx test/golden/docker-dovecot.ts`.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderDovecotConf, type DovecotConfParams } from '../../src/devenv/dovecot-conf.js'

/** Absolute path of docker/dovecot/dovecot.conf. */
export const DOCKER_DOVECOT_CONF = fileURLToPath(new URL('../../docker/dovecot/dovecot.conf', import.meta.url))

/** Container parameters; `dir` is where docker/dovecot/Dockerfile and compose.yml put everything. */
export const DOCKER_DOVECOT_PARAMS: DovecotConfParams = {
  dir: '/srv/dovecot',
  listenAddress: '*',
  port: 143,
  instanceName: 'nms-dovecot',
  // Root mode, as the harness runs under root: Debian's dovecot package creates these users.
  loginUser: 'dovenull',
  internalUser: 'dovecot',
  chroot: true,
  masterSeparator: '*',
  firstValidUid: 1
}

/** The text docker/dovecot/dovecot.conf must hold. */
export function dockerDovecotConf (): string {
  return renderDovecotConf(DOCKER_DOVECOT_PARAMS)
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  writeFileSync(DOCKER_DOVECOT_CONF, dockerDovecotConf())
  process.stdout.write(`wrote ${DOCKER_DOVECOT_CONF}\n`)
}
