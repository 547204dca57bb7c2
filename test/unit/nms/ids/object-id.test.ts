import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeObjectId, encodeObjectId } from '../../../../src/nms/ids/object-id.js'
import { newFolderId } from '../../../../src/nms/ids/folder-id.js'

describe('objectId codec', () => {
  const parts = { folderId: 'q-Yx5FYqwEDC8vS3cButyA', uidValidity: '1795323053', uid: 42 }

  it('round-trips (folderId, UIDVALIDITY, UID) through a URL-safe string', () => {
    const id = encodeObjectId(parts)
    assert.match(id, /^[A-Za-z0-9_-]+$/)
    assert.deepEqual(decodeObjectId(id), parts)
  })

  it('handles the 32-bit extremes of UIDVALIDITY and UID', () => {
    const max = { folderId: 'f', uidValidity: '4294967295', uid: 4294967295 }
    assert.deepEqual(decodeObjectId(encodeObjectId(max)), max)
    const min = { folderId: 'f', uidValidity: '1', uid: 1 }
    assert.deepEqual(decodeObjectId(encodeObjectId(min)), min)
  })

  it('gives different ids for different parts', () => {
    const ids = new Set([
      encodeObjectId(parts),
      encodeObjectId({ ...parts, uid: 43 }),
      encodeObjectId({ ...parts, uidValidity: '1795323054' }),
      encodeObjectId({ ...parts, folderId: newFolderId() })
    ])
    assert.equal(ids.size, 4)
  })

  it('decodes garbage to null', () => {
    const good = encodeObjectId(parts)
    for (const bad of ['', 'operations', 'not/an/id', 'AAAAAAAAAAAAAAAAAAAAAAAA', good.slice(0, -2), `${good}A`, good.replace(/^./, 'B'), '%%%%%%%%%%%%%%%%%%%%']) {
      assert.equal(decodeObjectId(bad), null, bad)
    }
  })

  it('refuses a non-canonical spelling of the same bytes', () => {
    const id = encodeObjectId(parts)
    // Flip the unused low bits of the last character: same bytes, different string.
    const last = id[id.length - 1] as string
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = id.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]
    if (Buffer.from(twin, 'base64url').equals(Buffer.from(id, 'base64url'))) assert.equal(decodeObjectId(twin), null)
    else assert.notDeepEqual(decodeObjectId(twin), parts)
  })

  it('refuses to encode out-of-range parts', () => {
    assert.throws(() => encodeObjectId({ ...parts, uid: 0 }), RangeError)
    assert.throws(() => encodeObjectId({ ...parts, uidValidity: '0' }), RangeError)
    assert.throws(() => encodeObjectId({ ...parts, uidValidity: '4294967296' }), RangeError)
    assert.throws(() => encodeObjectId({ ...parts, folderId: 'a/b' }), RangeError)
  })
})

describe('folderId', () => {
  it('is 22 URL-safe characters, never `operations`, and unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newFolderId()))
    assert.equal(ids.size, 1000)
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/)
  })
})
