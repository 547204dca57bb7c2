/**
 * restartToken / creationCursor codec (src/nms/ids/restart-token.ts): a position round-trips, and
 * decoding refuses every token that was not minted by this secret for this box and purpose —
 * a single flipped bit anywhere, a non-canonical base64url spelling of valid bytes, a wrong
 * length, junk, overlong input — while encoding refuses positions it cannot represent.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { decodeToken, encodeToken, newEpoch, type BoxPosition } from '../../../../src/nms/ids/restart-token.js'

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef')
const BOX = 'tel:+15551234'
const POS: BoxPosition = { epoch: '0123456789abcdef', seq: 4242 }

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A token for `body` with the codec's documented MAC (HMAC-SHA256 over purpose, box, body; 12 bytes). */
function mint (body: Buffer, purpose = 'rt', box = BOX): string {
  const mac = createHmac('sha256', SECRET).update(`nms-${purpose}\u0000${box}\u0000`).update(body).digest().subarray(0, 12)
  return Buffer.concat([body, mac]).toString('base64url')
}

describe('restart token codec', () => {
  it('round-trips positions, seq 0 and the largest safe seq included', () => {
    for (const p of [POS, { epoch: 'ffffffffffffffff', seq: 0 }, { epoch: '0000000000000000', seq: Number.MAX_SAFE_INTEGER }]) {
      const t = encodeToken(SECRET, 'rt', BOX, p)
      assert.deepEqual(decodeToken(SECRET, 'rt', BOX, t), p)
    }
    const epoch = newEpoch(randomBytes)
    assert.match(epoch, /^[0-9a-f]{16}$/)
    assert.deepEqual(decodeToken(SECRET, 'cc', 'box', encodeToken(SECRET, 'cc', 'box', { epoch, seq: 7 })), { epoch, seq: 7 })
  })

  it('is short, URL-safe and deterministic', () => {
    const t = encodeToken(SECRET, 'rt', BOX, POS)
    assert.ok(t.length < 48, `token length ${t.length}`)
    assert.match(t, /^[A-Za-z0-9_-]+$/)
    assert.equal(encodeToken(SECRET, 'rt', BOX, POS), t)
    assert.notEqual(encodeToken(SECRET, 'rt', BOX, { ...POS, seq: POS.seq + 1 }), t)
  })

  it('refuses a token with any single bit flipped', () => {
    const t = encodeToken(SECRET, 'rt', BOX, POS)
    const raw = Buffer.from(t, 'base64url')
    for (let byte = 0; byte < raw.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const forged = Buffer.from(raw)
        forged[byte] = (forged[byte] ?? 0) ^ (1 << bit)
        assert.equal(decodeToken(SECRET, 'rt', BOX, forged.toString('base64url')), undefined, `byte ${byte} bit ${bit}`)
      }
    }
  })

  it('refuses a token of another box, purpose or secret', () => {
    const t = encodeToken(SECRET, 'rt', BOX, POS)
    assert.equal(decodeToken(SECRET, 'rt', 'tel:+15551235', t), undefined)
    assert.equal(decodeToken(SECRET, 'rt', BOX.toUpperCase(), t), undefined)
    assert.equal(decodeToken(SECRET, 'cc', BOX, t), undefined, 'a restartToken is not a creationCursor')
    assert.equal(decodeToken(SECRET, 'rt', BOX, encodeToken(SECRET, 'cc', BOX, POS)), undefined, 'a creationCursor is not a restartToken')
    const other = Buffer.from(SECRET)
    other[0] = (other[0] ?? 0) ^ 1
    assert.equal(decodeToken(other, 'rt', BOX, t), undefined)
  })

  it('refuses non-canonical base64url spellings of valid bytes', () => {
    const t = encodeToken(SECRET, 'rt', BOX, POS)
    // 29 bytes take 39 characters; the last one carries 2 unused bits. Any other value of them
    // decodes to the same bytes.
    const last = B64URL.indexOf(t.slice(-1))
    const variants = [1, 2, 3].map((low) => t.slice(0, -1) + (B64URL[(last & ~3) | ((last & 3) ^ low)] ?? ''))
    for (const v of variants) {
      assert.notEqual(v, t)
      assert.deepEqual(Buffer.from(v, 'base64url'), Buffer.from(t, 'base64url'), 'same bytes, other spelling')
      assert.equal(decodeToken(SECRET, 'rt', BOX, v), undefined, v)
    }
    assert.equal(decodeToken(SECRET, 'rt', BOX, `${t}=`), undefined, 'padding')
    assert.equal(decodeToken(SECRET, 'rt', BOX, Buffer.from(t, 'base64url').toString('base64')), undefined, 'standard base64')
  })

  it('refuses wrong lengths, junk and overlong input', () => {
    const t = encodeToken(SECRET, 'rt', BOX, POS)
    const raw = Buffer.from(t, 'base64url')
    assert.equal(decodeToken(SECRET, 'rt', BOX, raw.subarray(0, raw.length - 1).toString('base64url')), undefined, 'one byte short')
    assert.equal(decodeToken(SECRET, 'rt', BOX, Buffer.concat([raw, Buffer.from([0])]).toString('base64url')), undefined, 'one byte long')
    assert.equal(decodeToken(SECRET, 'rt', BOX, t.slice(0, -1)), undefined)
    for (const junk of ['', ' ', 'a', '!!!!', `${t} `, ` ${t}`, `${t.slice(0, 10)}+${t.slice(11)}`, `${t.slice(0, 10)}/${t.slice(11)}`, '\u00e9'.repeat(39), 'null']) {
      assert.equal(decodeToken(SECRET, 'rt', BOX, junk), undefined, JSON.stringify(junk))
    }
    assert.equal(decodeToken(SECRET, 'rt', BOX, 'A'.repeat(513)), undefined)
    assert.equal(decodeToken(SECRET, 'rt', BOX, t + 'A'.repeat(513 - t.length)), undefined, 'a valid token padded beyond 512 characters')
  })

  it('refuses another version and an unsafe seq even under a valid MAC', () => {
    const t = encodeToken(SECRET, 'rt', BOX, POS)
    const body = Buffer.from(t, 'base64url').subarray(0, 17)
    // The documented layout: the MAC covers purpose, box and body; check the re-minting is right first.
    assert.equal(mint(body), t)
    const v2 = Buffer.from(body)
    v2[0] = 2
    assert.equal(decodeToken(SECRET, 'rt', BOX, mint(v2)), undefined, 'version 2')
    const huge = Buffer.from(body)
    huge.writeBigUInt64BE(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 9)
    assert.equal(decodeToken(SECRET, 'rt', BOX, mint(huge)), undefined, 'seq 2^53')
    huge.writeBigUInt64BE(BigInt(Number.MAX_SAFE_INTEGER), 9)
    assert.equal(decodeToken(SECRET, 'rt', BOX, mint(huge))?.seq, Number.MAX_SAFE_INTEGER)
  })

  it('refuses to encode a bad epoch or seq', () => {
    for (const epoch of ['', '0123456789abcde', '0123456789abcdef0', '0123456789ABCDEF', 'g123456789abcdef', ' 123456789abcdef']) {
      assert.throws(() => encodeToken(SECRET, 'rt', BOX, { epoch, seq: 1 }), RangeError, JSON.stringify(epoch))
    }
    for (const seq of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, 2 ** 64]) {
      assert.throws(() => encodeToken(SECRET, 'rt', BOX, { epoch: POS.epoch, seq }), RangeError, String(seq))
    }
  })
})
