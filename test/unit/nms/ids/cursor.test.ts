import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { canonicalJson, decodeCursor, encodeCursor, type CursorBinding } from '../../../../src/nms/ids/cursor.js'

describe('cursor codec', () => {
  const secret = randomBytes(32)
  const binding: CursorBinding = { box: 'tel:+1555', kind: 'folderSearch', request: { c: { criterion: [{ type: 'Date', value: 'x' }] }, n: false } }
  const position = ['Work', 'Projects']

  it('round-trips a position for the same binding and secret', () => {
    const c = encodeCursor(secret, binding, position)
    assert.match(c, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    assert.deepEqual(decodeCursor(secret, binding, c), position)
  })

  it('binds to the request regardless of key order', () => {
    const c = encodeCursor(secret, binding, position)
    const reordered: CursorBinding = { kind: 'folderSearch', request: { n: false, c: { criterion: [{ value: 'x', type: 'Date' }] } }, box: 'tel:+1555' }
    assert.deepEqual(decodeCursor(secret, reordered, c), position)
  })

  it('refuses a cursor of another box, kind, request or secret', () => {
    const c = encodeCursor(secret, binding, position)
    assert.equal(decodeCursor(secret, { ...binding, box: 'tel:+1666' }, c), null)
    assert.equal(decodeCursor(secret, { ...binding, kind: 'folder' }, c), null)
    assert.equal(decodeCursor(secret, { ...binding, request: { c: null, n: false } }, c), null)
    assert.equal(decodeCursor(randomBytes(32), binding, c), null)
  })

  it('refuses tampered, truncated and malformed cursors', () => {
    const c = encodeCursor(secret, binding, position)
    const [payload, mac] = c.split('.') as [string, string]
    const forged = Buffer.from(JSON.stringify({ v: 1, h: 'x', p: ['Z'] })).toString('base64url')
    for (const bad of [`${forged}.${mac}`, `${payload}.${mac.slice(1)}`, payload, `${payload}.`, '', 'a.b.c', `${payload}.${mac}=`, 'x'.repeat(5000)]) {
      assert.equal(decodeCursor(secret, binding, bad), null, bad.slice(0, 40))
    }
  })

  it('writes canonical JSON with sorted keys and without undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] }), '{"a":[{"c":"x"}],"b":1}')
  })
})
