/**
 * A private, throwaway Dovecot: temporary directory, free loopback port, passwd-file users and a
 * master user. Works as root (login and mail processes run as `dovenull`/`dovecot`/`nobody` or
 * per-user uids) and as an ordinary user (everything runs as that user). Several can run at once.
 */
import { randomBytes } from 'node:crypto'
import { appendFile, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { existsSync, readFileSync } from 'node:fs'
import { freePort, waitForGreeting } from './free-port.js'
import { restartable, spawnServer } from './process-util.js'
import { renderDovecotConf } from './dovecot-conf.js'

export interface DovecotUser {
  name: string
  password: string
}

export interface DovecotOptions {
  users?: DovecotUser[]
  master?: DovecotUser
  masterSeparator?: string
  /** As root: give every mail user its own uid (Dovecot's IDLE needs one inotify instance per session). */
  distinctUids?: boolean
  binary?: string
  /** Enables OAUTHBEARER with local validation of HS256 JWTs signed with `hs256Key`. */
  oauth2?: { hs256Key: Buffer, issuer?: string, usernameAttribute?: string }
}

export interface DovecotServer {
  readonly host: string
  readonly port: number
  readonly dir: string
  readonly master: DovecotUser
  readonly masterSeparator: string
  readonly users: DovecotUser[]
  readonly logFile: string
  /** Adds a passwd-file user (Dovecot re-reads the file on its next lookup). */
  addUser(user: DovecotUser): Promise<void>
  /** Stops Dovecot, keeping mail and state (for outage tests). */
  stop(): Promise<void>
  /** Starts it again on the same port after {@link stop}. */
  start(): Promise<void>
  /** Stops it and removes its directory. */
  close(): Promise<void>
}

const NOBODY_UID = 65534
const FIRST_DISTINCT_UID = 40000

export async function startDovecot (opts: DovecotOptions = {}): Promise<DovecotServer> {
  const binary = opts.binary ?? defaultDovecotBinary()
  const asRoot = process.getuid?.() === 0
  const dir = await mkdtemp(path.join(tmpdir(), 'nms-dovecot-'))
  await chmod(dir, 0o755)
  for (const sub of ['run', 'state', 'log']) await mkdir(path.join(dir, sub))
  const mailRoot = path.join(dir, 'mail')
  await mkdir(mailRoot)
  await chmod(mailRoot, 0o1777)

  const host = '127.0.0.1'
  const port = await freePort(host)
  const master = opts.master ?? { name: 'nmsmaster', password: randomBytes(12).toString('hex') }
  const masterSeparator = opts.masterSeparator ?? '*'
  const me = userInfo()
  const users: DovecotUser[] = []
  let nextUid = FIRST_DISTINCT_UID

  function passwdLine (u: DovecotUser): string {
    if (/[:\n\r]/.test(u.name) || /[\n\r]/.test(u.password)) throw new Error(`unusable user name ${u.name}`)
    let uid = me.uid
    let gid = me.gid
    if (asRoot) {
      uid = opts.distinctUids === true ? nextUid++ : NOBODY_UID
      gid = NOBODY_UID
    }
    return `${u.name}:{PLAIN}${u.password}:${uid}:${gid}::${path.join(mailRoot, u.name)}\n`
  }

  await writeFile(path.join(dir, 'master-users'), `${master.name}:{PLAIN}${master.password}\n`, { mode: 0o644 })
  await writeFile(path.join(dir, 'users'), '', { mode: 0o644 })
  for (const u of opts.users ?? []) {
    await appendFile(path.join(dir, 'users'), passwdLine(u))
    users.push(u)
  }
  if (opts.oauth2 !== undefined) await writeOauth2Files(dir, opts.oauth2)

  const conf = renderDovecotConf({
    dir,
    listenAddress: host,
    port,
    instanceName: `nms-${path.basename(dir)}`,
    loginUser: asRoot ? 'dovenull' : me.username,
    internalUser: asRoot ? 'dovecot' : me.username,
    internalGroup: asRoot ? undefined : primaryGroupName(me.gid),
    chroot: asRoot,
    masterSeparator,
    firstValidUid: asRoot ? 1 : me.uid,
    noAuthPenalty: true,
    oauth2: opts.oauth2 === undefined ? undefined : { usernameAttribute: opts.oauth2.usernameAttribute ?? 'sub', ...(opts.oauth2.issuer === undefined ? {} : { issuer: opts.oauth2.issuer }) }
  })
  const confFile = path.join(dir, 'dovecot.conf')
  await writeFile(confFile, conf)
  const logFile = path.join(dir, 'log', 'dovecot.log')
  const { start, stop } = restartable(async () =>
    await spawnServer('dovecot', binary, ['-F', '-c', confFile], async () => { await waitForGreeting(host, port, '* OK', 15_000) }))

  await start()
  return {
    host,
    port,
    dir,
    master,
    masterSeparator,
    users,
    logFile,
    async addUser (u: DovecotUser) {
      await appendFile(path.join(dir, 'users'), passwdLine(u))
      users.push(u)
    },
    stop,
    start,
    async close () {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Dovecot's oauth2 passdb with local JWT validation (Dovecot 2.3.16+, `introspection_mode = local`). */
async function writeOauth2Files (dir: string, o: NonNullable<DovecotOptions['oauth2']>): Promise<void> {
  const keyDir = path.join(dir, 'oauth2-keys')
  await mkdir(path.join(keyDir, 'default', 'HS256'), { recursive: true })
  await writeFile(path.join(keyDir, 'default', 'HS256', 'default'), o.hs256Key.toString('base64'))
  const lines = [
    'introspection_mode = local',
    `local_validation_key_dict = fs:posix:prefix=${keyDir}/`,
    `username_attribute = ${o.usernameAttribute ?? 'sub'}`,
    ...(o.issuer === undefined ? [] : [`issuers = ${o.issuer}`])
  ]
  await writeFile(path.join(dir, 'dovecot-oauth2.conf.ext'), lines.join('\n') + '\n')
}

/** Name of a group id, read from /etc/group (Dovecot wants names in its settings). */
function primaryGroupName (gid: number): string {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid))
  return line?.split(':')[0] ?? String(gid)
}

/** `dovecot` from PATH, else from the sbin directories Debian installs it in (not in an ordinary user's PATH). */
function defaultDovecotBinary (): string {
  // eslint-disable-next-line no-restricted-properties -- the shell's search path, not a gateway setting
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'].filter((d) => d !== '')
  return dirs.map((d) => path.join(d, 'dovecot')).find((f) => existsSync(f)) ?? 'dovecot'
}
