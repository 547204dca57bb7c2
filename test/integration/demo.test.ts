/**
 * The demo (issue 2 item 5): the seeded box answers the requests the demo prints, through the
 * real app on a real Dovecot and Redis; and `src/devenv/demo.ts` itself starts, prints curl
 * commands that work as pasted, and cleans up on SIGINT.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { BOX_PASSWORD, startTestEnv, type TestEnv } from '../helpers/env.js'
import { DEMO_BOX, DEMO_IMAP_USER, demoMessages, seedDemoBox } from '../../src/devenv/demo-seed.js'
import { freePort } from '../../src/devenv/free-port.js'

interface Reference { resourceURL: string, path?: string }
interface Folder {
  name?: string
  path?: string
  resourceURL: string
  parentFolder?: string
  subFolders?: { folderReference: Reference[] }
  objects?: { objectReference: Reference[] }
}

const ROOT_SEARCH = { selectionCriteria: { maxEntries: 10, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Root', value: 'Yes' }] } } }

describe('demo box', () => {
  let env: TestEnv
  before(async () => {
    env = await startTestEnv({ boxes: [DEMO_BOX] })
    await seedDemoBox({ host: env.dovecot.host, port: env.dovecot.port, user: DEMO_IMAP_USER, password: BOX_PASSWORD })
  })
  after(async () => { await env.close() })

  it('stores SMS-like and email messages, some seen, in several mailboxes', async () => {
    const messages = demoMessages()
    const sms = messages.filter((m) => m.raw.includes('\r\nMessage-Context: pager-message\r\n'))
    assert.ok(sms.length >= 3 && sms.every((m) => /\r\nContent-Type: text\/plain; charset=UTF-8\r\n/.test(m.raw)))
    assert.ok(sms.every((m) => /^From: tel:\+\d+\r\nTo: tel:\+\d+\r\n/.test(m.raw)))
    const withAttachment = messages.filter((m) => /Content-Type: multipart\/mixed/.test(m.raw))
    assert.ok(withAttachment.some((m) => /Content-Disposition: attachment/.test(m.raw)))
    assert.ok(messages.some((m) => m.flags.includes('\\Seen')) && messages.some((m) => m.flags.length === 0))

    const imap = await env.imap(DEMO_BOX)
    try {
      const listed = await imap.list({ statusQuery: { messages: true, unseen: true } })
      const status = new Map(listed.map((m) => [m.path, m.status]))
      assert.deepEqual(status.get('INBOX'), { path: 'INBOX', messages: 4, unseen: 2 })
      assert.equal(status.get('Sent')?.messages, 2)
      assert.equal(status.get('RCSMessageStore/conv-42')?.messages, 3)
    } finally {
      await imap.logout()
    }
  })

  it('answers the root folder search with the demo folders and their contents', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(DEMO_BOX)}/folders/operations/search`,
      headers: await env.auth(DEMO_BOX),
      payload: ROOT_SEARCH
    })
    assert.equal(res.statusCode, 200, res.body)
    const folders = (res.json() as { folderList: { folder: Folder[] } }).folderList.folder
    const byName = new Map(folders.map((f) => [f.name, f]))
    assert.deepEqual([...byName.keys()].sort(), ['INBOX', 'RCSMessageStore', 'Sent'])
    assert.equal(byName.get('INBOX')?.objects?.objectReference.length, 4)
    assert.equal(byName.get('Sent')?.objects?.objectReference.length, 2)
    const rcs = byName.get('RCSMessageStore')
    assert.deepEqual(rcs?.subFolders?.folderReference.map((r) => r.path), ['/RCSMessageStore/conv-42'])
    for (const f of folders) assert.equal(f.parentFolder, undefined, 'root folders have no parent')
  })

  it('resolves the conversation path and lists it with listFilter=All', async () => {
    const headers = await env.auth(DEMO_BOX)
    const ref = await env.gateway.app.inject({
      method: 'GET',
      url: `${env.base(DEMO_BOX)}/folders/operations/pathToId?path=/RCSMessageStore/conv-42`,
      headers
    })
    assert.equal(ref.statusCode, 200, ref.body)
    const url = new URL((ref.json() as { reference: Reference }).reference.resourceURL)
    assert.match(url.pathname, new RegExp(`^${env.base(DEMO_BOX).replaceAll('+', '\\+')}/folders/[^/]+$`))

    const res = await env.gateway.app.inject({ method: 'GET', url: `${url.pathname}?listFilter=All&path=Yes`, headers })
    assert.equal(res.statusCode, 200, res.body)
    const folder = (res.json() as { folder: Folder }).folder
    assert.equal(folder.name, 'conv-42')
    assert.equal(folder.path, '/RCSMessageStore/conv-42')
    assert.equal(folder.objects?.objectReference.length, 3)
    assert.deepEqual(folder.subFolders?.folderReference, [])
  })
})

/** Curl commands as the demo prints them, turned into fetch calls. */
interface ParsedCurl { method: string, url: string, headers: Record<string, string>, body?: string }

function parseCurls (stdout: string): ParsedCurl[] {
  const blocks = stdout.replaceAll(' \\\n  ', ' ').split('\n').filter((l) => l.startsWith('curl '))
  return blocks.map((line) => {
    const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => m[1] !== undefined ? m[1].replaceAll('\'\\\'\'', '\'') : m[2] ?? '')
    const out = { method: 'GET', url: '', headers: {} as Record<string, string>, body: undefined as string | undefined }
    for (let i = 1; i < words.length; i++) {
      const w = words[i] ?? ''
      if (w === '-s') continue
      if (w === '-w') { i++; continue }
      if (w === '-X') { out.method = words[++i] ?? ''; continue }
      if (w === '-H') {
        const [name, ...value] = (words[++i] ?? '').split(': ')
        out.headers[name ?? ''] = value.join(': ')
        continue
      }
      if (w === '-d') { out.body = words[++i]; continue }
      out.url = w
    }
    const { body, ...rest } = out
    return body === undefined ? rest : { ...rest, body }
  })
}

async function refused (host: string, port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = net.connect(port, host)
    s.on('connect', () => { s.destroy(); resolve(false) })
    s.on('error', () => resolve(true))
  })
}

async function exited (child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  return await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('demo did not exit')), timeoutMs)
    child.once('exit', (code) => { clearTimeout(t); resolve(code) })
  })
}

describe('npm run demo', () => {
  it('prints a token and curl commands that work as pasted, and cleans up on Ctrl-C', async () => {
    const port = await freePort()
    const script = fileURLToPath(new URL('../../src/devenv/demo.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, NMS_HTTP_PORT: String(port), NMS_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no banner within 60 s:\n${stdout}\n${stderr}`)), 60_000)
        const check = (): void => {
          if (stdout.includes('Press Ctrl-C')) { clearTimeout(t); resolve() }
        }
        child.stdout?.on('data', check)
        child.once('exit', (code) => { clearTimeout(t); reject(new Error(`demo exited (${String(code)}):\n${stderr}`)) })
      })
      assert.match(stdout, new RegExp(`Gateway +http://127\\.0\\.0\\.1:${port}`))
      assert.match(stdout, /Bearer token for tel:\+15551234567 \(HS256, valid 24 h\):\n\neyJ[\w-]+\.[\w-]+\.[\w-]+\n/)

      const curls = parseCurls(stdout)
      assert.equal(curls.length, 3, stdout)
      const bodies: string[] = []
      for (const c of curls) {
        const init = { method: c.method, headers: c.headers, ...(c.body === undefined ? {} : { body: c.body }) }
        const res = await fetch(c.url, init)
        const text = await res.text()
        assert.equal(res.status, 200, `${c.method} ${c.url}: ${text}`)
        bodies.push(text)
      }
      assert.match(bodies[0] ?? '', /"name":"INBOX"/)
      assert.match(bodies[0] ?? '', /"name":"RCSMessageStore"/)
      assert.match(bodies[1] ?? '', /"reference":\{"resourceURL":"http:\/\/127\.0\.0\.1:\d+\/nms\/v1\/base\/tel%3A%2B15551234567\/folders\//)
      const conv = JSON.parse(bodies[2] ?? '{}') as { folder: Folder }
      assert.equal(conv.folder.path, '/RCSMessageStore/conv-42')
      assert.equal(conv.folder.objects?.objectReference.length, 3)

      const dovecotPort = Number(/Dovecot +127\.0\.0\.1:(\d+)/.exec(stdout)?.[1])
      const redisPort = Number(/Redis +redis:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1])
      child.kill('SIGINT')
      assert.equal(await exited(child, 20_000), 0, stderr)
      assert.match(stdout, /stopped; temporary servers and directories removed/)
      assert.equal(await refused('127.0.0.1', port), true, 'gateway closed')
      assert.equal(await refused('127.0.0.1', dovecotPort), true, 'dovecot stopped')
      assert.equal(await refused('127.0.0.1', redisPort), true, 'redis stopped')
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT')
        await exited(child, 10_000).catch(() => child.kill('SIGKILL'))
      }
    }
  })
})
