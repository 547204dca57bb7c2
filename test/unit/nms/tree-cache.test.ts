import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cachedFolders, forgetFolders, rememberFolders, TREE_TTL_MS } from '../../../src/nms/folders/tree-cache.js'
import { FolderTree } from '../../../src/nms/folders/tree.js'

describe('folder tree cache', () => {
  const tree = new FolderTree([], '/')
  const portA = {} as never
  const portB = {} as never
  const box = { boxId: 'tel:+1' }

  it('serves a remembered tree until the TTL ends', () => {
    rememberFolders({ imap: portA, box }, tree, 1000)
    assert.equal(cachedFolders({ imap: portA, box }, 1000 + TREE_TTL_MS), tree)
    assert.equal(cachedFolders({ imap: portA, box }, 1001 + TREE_TTL_MS), undefined)
  })

  it('keeps gateways (IMAP ports) and boxes apart', () => {
    rememberFolders({ imap: portA, box }, tree, 0)
    assert.equal(cachedFolders({ imap: portB, box }, 0), undefined)
    assert.equal(cachedFolders({ imap: portA, box: { boxId: 'tel:+2' } }, 0), undefined)
  })

  it('forgets on demand', () => {
    rememberFolders({ imap: portA, box }, tree, 0)
    forgetFolders({ imap: portA, box })
    assert.equal(cachedFolders({ imap: portA, box }, 0), undefined)
  })
})
