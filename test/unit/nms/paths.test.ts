import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { imapPathOf, nmsPathOf, parseNmsPath, pathKey, sameSegments } from '../../../src/nms/paths.js'

describe('NMS paths', () => {
  it('splits a well-formed path into names', () => {
    assert.deepEqual(parseNmsPath('/INBOX'), ['INBOX'])
    assert.deepEqual(parseNmsPath('/a/b c/"d"'), ['a', 'b c', '"d"'])
  })

  it('refuses malformed paths', () => {
    for (const bad of ['', '/', 'a/b', '/a//b', '/a/', '//a', '/a\r\nb', '/a\u0000', `/${'x'.repeat(9000)}`, '/a\ud800']) {
      assert.equal(parseNmsPath(bad), null, JSON.stringify(bad))
    }
  })

  it('joins names into NMS and IMAP paths', () => {
    assert.equal(nmsPathOf(['INBOX', 'Work']), '/INBOX/Work')
    assert.equal(imapPathOf(['INBOX', 'Work'], '.'), 'INBOX.Work')
  })

  it('compares the top-level INBOX case-insensitively and nothing else', () => {
    assert.ok(sameSegments(['inbox', 'Work'], ['INBOX', 'Work']))
    assert.ok(!sameSegments(['INBOX', 'work'], ['INBOX', 'Work']))
    assert.ok(!sameSegments(['Work', 'inbox'], ['Work', 'INBOX']))
    assert.equal(pathKey(['Inbox']), pathKey(['INBOX']))
    assert.notEqual(pathKey(['a', 'b']), pathKey(['a/b']))
  })
})
