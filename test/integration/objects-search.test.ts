/**
 * Object search (nms-spec-digest.md R7, section 4; architecture.md section 5) against the real
 * Dovecot: every criterion type with its exact semantics where IMAP is only approximate, the
 * three operators, scope, both sort spellings, presets, cursors and hostile values.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { call, type RawReply } from './objects-read-helpers.js'
import { folderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15551234567'
const PEER = 'tel:+15557654321'

/** Fixture messages: name -> folder, flags, internal date, source. */
const MESSAGES: Record<string, { path: string, flags: string[], at: string, raw: string }> = {
  sms: {
    path: 'INBOX',
    flags: [],
    at: '2021-03-01T12:00:00Z',
    raw: `From: ${PEER}\r\nTo: ${BOX}\r\nDate: Mon, 1 Mar 2021 12:00:00 +0000\r\n\r\nhello world\r\n`
  },
  quoted: {
    path: 'INBOX',
    flags: ['\\Seen'],
    at: '2021-03-02T12:00:00Z',
    raw: `From: "Bob" <${PEER}>\r\nTo: <${BOX}>\r\nSubject: plain\r\nDate: Tue, 2 Mar 2021 12:00:00 +0000\r\n\r\nsay "quoted" \\ back\r\n`
  },
  koeln: {
    path: 'Conv',
    flags: ['$Important'],
    at: '2021-03-03T12:00:00Z',
    raw: 'From: alice@example.com\r\nTo: bob@example.com\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Wed, 3 Mar 2021 12:00:00 +0000\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n'
  },
  sent: {
    path: 'Conv/Sub',
    flags: [],
    at: '2021-03-04T00:00:00Z',
    raw: `From: ${BOX}\r\nTo: ${PEER}\r\nDate: Thu, 4 Mar 2021 00:00:00 +0000\r\n\r\nbye now\r\n`
  },
  html: {
    path: 'INBOX',
    flags: [],
    at: '2021-03-05T12:00:00Z',
    raw: 'From: Carol <carol@example.com>\r\nTo: bob@example.com\r\nSubject: fruit salad\r\nDate: Fri, 5 Mar 2021 12:00:00 +0000\r\n' +
      'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b1"\r\n\r\n' +
      '--b1\r\nContent-Type: text/plain\r\n\r\napples and pears\r\n' +
      '--b1\r\nContent-Type: text/html\r\n\r\n<p>one <b>kiwi</b> too</p>\r\n--b1--\r\n'
  }
}

describe('object search: criteria, operators, scope and sort', () => {
  let env: TestEnv
  /** Object resourceURL -> fixture name. */
  const names = new Map<string, string>()
  const folderIds = new Map<string, string>()

  async function search (selectionCriteria: Json): Promise<RawReply> {
    return await call(env, BOX, 'POST', '/objects/operations/search', {
      payload: { selectionCriteria }, headers: { 'content-type': 'application/json' }
    })
  }

  /** Fixture names of a search's single batch, in order. */
  async function found (selectionCriteria: Json): Promise<string[]> {
    const r = await search({ maxEntries: 50, ...selectionCriteria })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.body.objectList.cursor, undefined, 'one batch holds everything')
    return (r.body.objectList.object as Json[]).map((o) => names.get(o.resourceURL) ?? `?${String(o.resourceURL)}`)
  }

  const set = async (sc: Json): Promise<string[]> => (await found(sc)).sort()
  const criteria = (...criterion: Json[]): Json => ({ searchCriteria: { criterion } })

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    const c = await env.imap(BOX)
    try {
      await c.mailboxCreate('Conv')
      await c.mailboxCreate('Conv/Sub')
      for (const m of Object.values(MESSAGES)) await c.append(m.path, m.raw, m.flags, new Date(m.at))
    } finally {
      await c.logout()
    }
    const folders = folderClient(env, BOX)
    for (const p of ['INBOX', 'Conv', 'Conv/Sub']) folderIds.set(p, await folders.idByPath(`/${p}`) ?? '')
    const all = await search({ maxEntries: 50 })
    for (const o of all.body.objectList.object as Json[]) {
      const at = o.attributes.attribute.find((a: Json) => a.name === 'Date')?.value[0] as string
      const name = Object.entries(MESSAGES).find(([, m]) => m.at.replace('Z', '+0000') === at)?.[0]
      assert.ok(name !== undefined, at)
      names.set(o.resourceURL, name)
    }
    assert.equal(names.size, 5)
  })
  after(async () => { await env?.close() })

  it('returns every object of the box without criteria, as full objects', async () => {
    assert.deepEqual(await set({}), ['html', 'koeln', 'quoted', 'sent', 'sms'])
    const r = await search({ maxEntries: 50 })
    for (const o of r.body.objectList.object as Json[]) {
      assert.ok(Array.isArray(o.attributes.attribute) && o.parentFolder !== undefined && o.flags !== undefined)
    }
  })

  it('Date: minDate inclusive and maxDate exclusive to the second, on the internal date', async () => {
    assert.deepEqual(await set(criteria({ type: 'Date', value: 'minDate=2021-03-02T12:00:00Z&maxDate=2021-03-04T00:00:00Z' })), ['koeln', 'quoted'])
    assert.deepEqual(await set(criteria({ type: 'Date', value: 'minDate=2021-03-02T12:00:01Z&maxDate=2021-03-04T00:00:01Z' })), ['koeln', 'sent'])
    // Lenient forms: no seconds, an offset, maxDate alone.
    assert.deepEqual(await set(criteria({ type: 'Date', value: 'minDate=2021-03-03T13:00+01:00' })), ['html', 'koeln', 'sent'])
    assert.deepEqual(await set(criteria({ type: 'Date', value: 'maxDate=2021-03-02' })), ['sms'])
  })

  it('Attribute: exact and case-sensitive values, names case-insensitive, addresses also by bare address', async () => {
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'From', value: PEER })), ['quoted', 'sms'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'from', value: PEER })), ['quoted', 'sms'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'From', value: 'Carol <carol@example.com>' })), ['html'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'From', value: 'carol@example.com' })), ['html'])
    // IMAP HEADER is a caseless substring match; the gateway keeps only exact values.
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'From', value: PEER.toUpperCase() })), [])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'Subject', value: 'plai' })), [])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'Subject', value: 'Grüße' })), ['koeln'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'To', value: 'bob@example.com' })), ['html', 'koeln'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'Date', value: '2021-03-03T12:00:00+0000' })), ['koeln'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'No-Such-Attribute', value: 'x' })), [])
  })

  it('Attribute on derived attributes: Direction and Message-Context compared case-insensitively', async () => {
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'Direction', value: 'out' })), ['sent'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'Message-Context', value: 'PAGER-MESSAGE' })), ['sent', 'sms'])
    assert.deepEqual(await set(criteria({ type: 'Attribute', name: 'TextContent', value: 'hello world' })), ['sms'])
  })

  it('AllTextAttributes: caseless substring of text attributes only', async () => {
    assert.deepEqual(await set(criteria({ type: 'AllTextAttributes', value: 'HELLO' })), ['sms'])
    assert.deepEqual(await set(criteria({ type: 'AllTextAttributes', value: 'grü' })), ['koeln'])
    assert.deepEqual(await set(criteria({ type: 'AllTextAttributes', value: 'example.COM' })), ['html', 'koeln'])
    // "kiwi" is only in a payload part, which is not an attribute.
    assert.deepEqual(await set(criteria({ type: 'AllTextAttributes', value: 'kiwi' })), [])
  })

  it('WholeWord: whole words of text attributes and textual parts, 8-bit, quotes and backslashes', async () => {
    assert.deepEqual(await set(criteria({ type: 'WholeWord', value: 'kiwi' })), ['html'])
    assert.deepEqual(await set(criteria({ type: 'WholeWord', value: 'KÖLN' })), ['koeln'])
    assert.deepEqual(await set(criteria({ type: 'WholeWord', value: 'hell' })), [])
    assert.deepEqual(await set(criteria({ type: 'WholeWord', value: 'salad' })), ['html'])
    assert.deepEqual(await set(criteria({ type: 'WholeWord', value: '"quoted" \\ back' })), ['quoted'])
  })

  it('Flag: system flags and keywords, true and false (default true)', async () => {
    assert.deepEqual(await set(criteria({ type: 'Flag', name: '\\Seen', value: 'true' })), ['quoted'])
    assert.deepEqual(await set(criteria({ type: 'Flag', name: '\\seen', value: 'false' })), ['html', 'koeln', 'sent', 'sms'])
    assert.deepEqual(await set(criteria({ type: 'Flag', name: '$Important', value: '' })), ['koeln'])
    const bad = await search({ maxEntries: 5, ...criteria({ type: 'Flag', name: '\\Seen', value: 'maybe' }) })
    assert.equal(bad.status, 400)
    assert.deepEqual(bad.body.requestError.serviceException.variables, ['searchCriteria.criterion.value'])
  })

  it('operators: And (default), Or, and Not as NOT of the conjunction', async () => {
    const seen = { type: 'Flag', name: '\\Seen', value: 'true' }
    const kiwi = { type: 'WholeWord', value: 'kiwi' }
    const peer = { type: 'Attribute', name: 'From', value: PEER }
    assert.deepEqual(await set({ searchCriteria: { criterion: [seen, peer] } }), ['quoted'])
    assert.deepEqual(await set({ searchCriteria: { operator: 'And', criterion: [seen, kiwi] } }), [])
    assert.deepEqual(await set({ searchCriteria: { operator: 'Or', criterion: [seen, kiwi] } }), ['html', 'quoted'])
    assert.deepEqual(await set({ searchCriteria: { operator: 'Not', criterion: [peer] } }), ['html', 'koeln', 'sent'])
    assert.deepEqual(await set({ searchCriteria: { operator: 'Not', criterion: [seen] } }), ['html', 'koeln', 'sent', 'sms'])
    assert.deepEqual(await set({ searchCriteria: { operator: 'not', criterion: [seen, peer] } }), ['html', 'koeln', 'sent', 'sms'])
    const bad = await search({ maxEntries: 5, searchCriteria: { operator: 'Xor', criterion: [seen] } })
    assert.equal(bad.body.requestError.serviceException.messageId, 'SVC0003')
  })

  it('searchScope: a folder subtree, or the folder alone with nonRecursiveScope', async () => {
    const conv = (await search({ maxEntries: 50 })).body.objectList.object.find((o: Json) => names.get(o.resourceURL) === 'koeln').parentFolder
    assert.deepEqual(await set({ searchScope: { resourceURL: conv } }), ['koeln', 'sent'])
    assert.deepEqual(await set({ searchScope: { resourceURL: conv }, nonRecursiveScope: true }), ['koeln'])
    assert.deepEqual(await set({ searchScope: { resourceURL: conv }, ...criteria({ type: 'Attribute', name: 'Direction', value: 'Out' }) }), ['sent'])
    const bad = await search({ maxEntries: 5, searchScope: { resourceURL: `${String(conv)}x` } })
    assert.equal(bad.status, 400)
    assert.deepEqual(bad.body.requestError.serviceException.variables, ['searchScope.resourceURL'])
  })

  it('sorts by Date both ways, in the sortCriteria list form and the single sortCriterion form', async () => {
    const ascending = ['sms', 'quoted', 'koeln', 'sent', 'html']
    assert.deepEqual(await found({ sortCriteria: { criterion: [{ type: 'Date', order: 'Ascending' }] } }), ascending)
    assert.deepEqual(await found({ sortCriterion: { type: 'Date', order: 'Descending' } }), [...ascending].reverse())
    // Descending is the default order (digest 2.11).
    assert.deepEqual(await found({ sortCriterion: { type: 'Date' } }), [...ascending].reverse())
    const bad = await search({ maxEntries: 5, sortCriterion: { type: 'Size' } })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.requestError.serviceException.messageId, 'SVC0003')
  })

  it('sorts by an attribute: absent values first, then caseless, with a second criterion breaking ties', async () => {
    const order = await found({ sortCriteria: { criterion: [{ type: 'Attribute', name: 'Subject', order: 'Ascending' }, { type: 'Date', order: 'Descending' }] } })
    assert.deepEqual(order, ['sent', 'sms', 'html', 'koeln', 'quoted'])
    const down = await found({ sortCriteria: { criterion: [{ type: 'Attribute', name: 'Subject', order: 'Descending' }] } })
    assert.deepEqual(down.slice(0, 3), ['quoted', 'koeln', 'html'])
  })

  it('PresetSearch RemoteParty matches the party in From, To or Cc, newest first; other presets are 405 POL2006', async () => {
    assert.deepEqual(await found({ ...criteria({ type: 'PresetSearch', name: 'RemoteParty', value: `${PEER}, dave@example.com` }), sortCriterion: { type: 'Date', order: 'Ascending' } }),
      ['sent', 'quoted', 'sms'])
    const r = await search({ maxEntries: 10, ...criteria({ type: 'PresetSearch', name: 'UPOneDotO', value: '' }) })
    assert.equal(r.status, 405)
    assert.equal(r.headers.allow, 'POST')
    assert.equal(r.body.requestError.policyException.messageId, 'POL2006')
    assert.deepEqual(r.body.requestError.policyException.variables, ['PresetSearch UPOneDotO'])
  })

  it('refuses malformed requests with the NMS error naming the part', async () => {
    const cases: Array<[Json, number, string, string]> = [
      [{ searchCriteria: { criterion: [] } }, 400, 'SVC0002', 'maxEntries missing'],
      [{ maxEntries: 0 }, 400, 'SVC0002', 'maxEntries 0'],
      [{ maxEntries: 5, ...criteria({ type: 'Bogus', value: 'x' }) }, 400, 'SVC0003', 'unknown type'],
      [{ maxEntries: 5, ...criteria({ type: 'Attribute', value: 'x' }) }, 400, 'SVC0002', 'attribute without name'],
      [{ maxEntries: 5, ...criteria({ type: 'AllTextAttributes', value: 'a\r\nb' }) }, 400, 'SVC0002', 'CRLF'],
      [{ maxEntries: 5, ...criteria({ type: 'Attribute', name: 'Subject', value: 'a\u0000b' }) }, 400, 'SVC0002', 'NUL'],
      [{ maxEntries: 5, ...criteria({ type: 'WholeWord', value: 'x'.repeat(1025) }) }, 400, 'SVC0002', 'too long'],
      [{ maxEntries: 5, ...criteria({ type: 'Date', value: 'minDate=tomorrow' }) }, 400, 'SVC0002', 'bad date'],
      [{ maxEntries: 5, ...criteria({ type: 'Flag', name: 'a b', value: 'true' }) }, 400, 'SVC0002', 'flag not an atom']
    ]
    for (const [sc, status, id, why] of cases) {
      const r = await search(sc)
      assert.equal(r.status, status, why)
      assert.equal(r.body.requestError.serviceException.messageId, id, why)
    }
    for (const v of ['a\r\nb', 'a\u0000b']) {
      const r = await search({ maxEntries: 5, ...criteria({ type: 'AllTextAttributes', value: v }) })
      assert.deepEqual(r.body.requestError.serviceException.variables, ['searchCriteria.criterion.value'])
    }
  })

  it('carries hostile but legal values to IMAP intact: IMAP syntax in a value is only text', async () => {
    for (const v of ['") OR ALL (', '{5}', 'x" ALL "', '\\', '*', 'ÄÖÜ{3+}']) {
      const r = await search({ maxEntries: 5, ...criteria({ type: 'Attribute', name: 'Subject', value: v }) })
      assert.equal(r.status, 200, v)
      assert.deepEqual(r.body.objectList.object, [], v)
    }
  })

  it('answers GET on the search resource with 405 and Allow: POST', async () => {
    const r = await call(env, BOX, 'GET', '/objects/operations/search')
    assert.equal(r.status, 405)
    assert.equal(r.headers.allow, 'POST')
  })
})
