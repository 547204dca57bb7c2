/**
 * Hostile folder names (issue 2 item 9): names that IMAP cannot hold or that could smuggle IMAP
 * syntax are refused with 400 SVC0002 and create nothing; names with quotes, backslashes, IMAP
 * atoms and non-ASCII are stored exactly, as exactly one mailbox, seen through a direct client.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapCreate, imapPaths, type FolderClient } from './folders-helpers.js'

const BOX = 'tel:+15550001008'

const REFUSED: Array<[string, string]> = [
  ['CRLF', 'evil\r\nA1 DELETE INBOX'],
  ['LF', 'a\nb'],
  ['NUL', 'a\u0000b'],
  ['tab', 'a\tb'],
  ['LIST wildcard *', 'all*'],
  ['LIST wildcard %', '50%'],
  ['NMS delimiter', 'a/b'],
  ['empty', ''],
  ['dot', '.'],
  ['dot dot', '..'],
  ['leading space', ' lead'],
  ['trailing space', 'trail '],
  ['256 bytes', 'x'.repeat(256)],
  ['too long in modified UTF-7', '\u00e9'.repeat(127)],
  ['lone surrogate', 'a\ud800b']
]

const STORED: Array<[string, string]> = [
  ['double quotes', 'say "hi"'],
  ['backslash', 'back\\slash'],
  ['quote and backslash', 'a"b\\c'],
  ['non-ASCII', '\u00dcn\u00efc\u00f8d\u00e9 \u65e5\u672c'],
  ['emoji (surrogate pair)', 'smile \ud83d\ude00'],
  ['ampersand (modified UTF-7 shift)', 'Tom & Jerry'],
  ['literal syntax', '{5}'],
  ['IMAP atom NIL', 'NIL'],
  ['parentheses and brackets', '(a) [b]'],
  ['apostrophe', 'it\'s'],
  ['255 bytes', 'y'.repeat(255)]
]

describe('hostile folder names', () => {
  let env: TestEnv
  let f: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Names'])
  })
  after(async () => { await env?.close() })

  it('refuses names IMAP cannot hold or that smuggle IMAP syntax with 400 SVC0002 folder.name, creating nothing', async () => {
    const before = await imapPaths(env, BOX)
    for (const [label, name] of REFUSED) {
      const r = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Names', name } })
      assert.equal(r.status, 400, `${label}: ${JSON.stringify(r.body)}`)
      assert.deepEqual(r.body.requestError.serviceException.variables, ['folder.name'], label)
    }
    assert.deepEqual((await imapPaths(env, BOX)).sort(), before.sort())
  })

  it('stores names with quotes, backslashes, IMAP syntax and non-ASCII exactly, as one mailbox each', async () => {
    const before = new Set(await imapPaths(env, BOX))
    const ids = new Map<string, string>()
    for (const [label, name] of STORED) {
      const r = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Names', name } })
      assert.equal(r.status, 201, `${label}: ${JSON.stringify(r.body)}`)
      assert.equal(r.body.reference.path, `/Names/${name}`, label)
      ids.set(name, f.idOf(r.body.reference.resourceURL))
    }
    const added = (await imapPaths(env, BOX)).filter((p) => !before.has(p))
    assert.deepEqual(added.sort(), STORED.map(([, name]) => `Names/${name}`).sort())
    for (const [label, name] of STORED) {
      const id = ids.get(name) as string
      const got = await f.call('GET', `/folders/${id}/folderName`)
      assert.deepEqual(got.body, { name }, label)
      assert.equal(await f.idByPath(`/Names/${name}`), id, label)
    }
  })

  it('renames to a name with quotes and non-ASCII exactly', async () => {
    const id = await f.create('/Names', 'plain')
    const name = 'r\u00e9sum\u00e9 "final" \\ v2'
    const r = await f.call('PUT', `/folders/${id}/folderName`, { name })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const paths = await imapPaths(env, BOX)
    assert.ok(paths.includes(`Names/${name}`))
    assert.ok(!paths.includes('Names/plain'))
    assert.equal(await f.idByPath(`/Names/${name}`), id)
  })
})
