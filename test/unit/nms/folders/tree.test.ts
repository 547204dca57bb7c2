import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { FolderTree, makeNode, compareSegments } from '../../../../src/nms/folders/tree.js'
import { isProtected, isServerOnly } from '../../../../src/nms/folders/protection.js'
import { folderAttributes, parseAttrFilter, statusItemsFor } from '../../../../src/nms/folders/attributes.js'
import type { Config } from '../../../../src/config/schema.js'
import type { MailboxStatus } from '../../../../src/imap/types.js'

function build (spec: Array<[string, MailboxStatus | undefined]>): FolderTree {
  const ids = new Map(spec.map(([p]) => [p, `id-${p}`]))
  const nodes = spec.map(([p, status]) => {
    const segments = p.split('/')
    const parent = segments.length > 1 ? ids.get(segments.slice(0, -1).join('/')) : undefined
    return makeNode({ id: `id-${p}`, path: p, uidValidity: status?.uidValidity ?? '0', lastModSeq: 1, firstSeen: '2024-01-01T00:00:00Z' },
      segments, parent, { selectable: status !== undefined, virtual: false, status })
  })
  return new FolderTree(nodes, '/')
}

const config = { folders: { protected: ['/INBOX', '/Archive/Keep'], serverOnly: ['/Default'], listMaxEntries: 10 } } as unknown as Config

describe('FolderTree', () => {
  const tree = build([
    ['INBOX', { uidValidity: '1', messages: 3, unseen: 1, size: 300 }],
    ['Work', { uidValidity: '2', messages: 2, unseen: 2, size: 200 }],
    ['Work/b', { uidValidity: '3', messages: 5, unseen: 0, size: 500 }],
    ['Work/a', undefined],
    ['Work/a/x', { uidValidity: '4', messages: 1, unseen: 1, size: 100 }],
    ['Archive', { uidValidity: '5' }],
    ['Archive/Keep', { uidValidity: '6' }],
    ['Default', { uidValidity: '7' }],
    ['Default/Conv', { uidValidity: '8' }]
  ])
  const node = (p: string): ReturnType<FolderTree['byId']> & object => tree.byId(`id-${p}`) ?? assert.fail(p)

  it('indexes by id and path (INBOX in any case), children in name order, roots, subtree, ancestors', () => {
    assert.equal(tree.byPath(['inbox'])?.id, 'id-INBOX')
    assert.deepEqual(tree.children('id-Work').map((n) => n.name), ['a', 'b'])
    assert.deepEqual(tree.roots().map((n) => n.name), ['Archive', 'Default', 'INBOX', 'Work'])
    assert.deepEqual(tree.subtree('id-Work').map((n) => n.nmsPath), ['/Work', '/Work/a', '/Work/a/x', '/Work/b'])
    assert.deepEqual(tree.ancestors('id-Work/a/x').map((n) => n.name), ['a', 'Work'])
    assert.ok(compareSegments(['a', 'b'], ['a b']) < 0)
  })

  it('protects INBOX, configured folders and their ancestors, nothing else', () => {
    assert.ok(isProtected(config, tree, node('INBOX')))
    assert.ok(isProtected(config, tree, node('Archive/Keep')))
    assert.ok(isProtected(config, tree, node('Archive')))
    assert.ok(!isProtected(config, tree, node('Work')))
  })

  it('marks server-only folders and everything below them', () => {
    assert.ok(isServerOnly(config, node('Default')))
    assert.ok(isServerOnly(config, node('Default/Conv')))
    assert.ok(!isServerOnly(config, node('Work')))
  })

  it('computes folder attributes, with counts and subtree sums only on request', () => {
    assert.deepEqual(folderAttributes(tree, node('Work')).map((a) => a.name), ['Name', 'Root', 'Date'])
    const costly = parseAttrFilter(['msgcount', 'SubtreeMsgCount,SubtreeUnreadMsgCount', 'SubtreeSize', 'Quota'])
    assert.deepEqual([...costly].sort(), ['MsgCount', 'SubtreeMsgCount', 'SubtreeSize', 'SubtreeUnreadMsgCount'])
    assert.deepEqual(statusItemsFor(costly).sort(), ['messages', 'size', 'unseen'])
    const attrs = new Map(folderAttributes(tree, node('Work'), costly).map((a) => [a.name, a.value[0]]))
    assert.equal(attrs.get('MsgCount'), '2')
    assert.equal(attrs.get('SubtreeMsgCount'), '8')
    assert.equal(attrs.get('SubtreeUnreadMsgCount'), '3')
    assert.equal(attrs.get('SubtreeSize'), '800')
  })

  it('leaves out a count the server did not give', () => {
    const attrs = folderAttributes(tree, node('Archive'), parseAttrFilter(['Size', 'MsgCount']))
    assert.deepEqual(attrs.map((a) => a.name), ['Name', 'Root', 'Date'])
  })
})
