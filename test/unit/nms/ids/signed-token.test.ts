/**
 * The shared token codec (src/nms/ids/signed-token.ts) in both layouts: a body round-trips; the
 * context is bound (another purpose or box, another secret, fails); only the canonical spelling
 * decodes; over-long or malformed input is refused before any MAC work.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { signToken, verifyToken, type TokenFormat } from '../../../../src/nms/ids/signed-token.js'

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef')
const OTHER_SECRET = Buffer.from('fedcba9876543210fedcba9876543210')
const JOINED: TokenFormat = { layout: 'joined', macBytes: 12, maxLength: 64 }
const DOTTED: TokenFormat = { layout: 'dotted', macBytes: 16, maxLength: 64 }
/** 5 bytes: with a 12-byte MAC, 17 bytes, so the joined token's last character has unused bits. */
const BODY = Buffer.from([1, 2, 3, 4, 250])

/** The other base64url spellings of the same bytes: the unused low bits of the last character set. */
function respell (text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(text.at(-1) as string)
  return text.slice(0, -1) + (alphabet[last ^ 1] as string)
}

for (const format of [JOINED, DOTTED]) {
  describe(`signed token, ${format.layout} layout`, () => {
    it('round-trips a body for the same secret and context', () => {
      const token = signToken(SECRET, format, 'purpose\u0000box', BODY)
      assert.match(token, format.layout === 'joined' ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
      assert.deepEqual(verifyToken(SECRET, format, 'purpose\u0000box', token), BODY)
    })

    it('refuses another context, another secret, a flipped character and a non-canonical spelling', () => {
      const token = signToken(SECRET, format, 'purpose\u0000box', BODY)
      assert.equal(verifyToken(SECRET, format, 'purpose\u0000other', token), undefined)
      assert.equal(verifyToken(OTHER_SECRET, format, 'purpose\u0000box', token), undefined)
      const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1)
      assert.equal(verifyToken(SECRET, format, 'purpose\u0000box', flipped), undefined)
      const respelt = respell(token)
      assert.deepEqual(Buffer.from(respelt.split('.').at(-1) as string, 'base64url'), Buffer.from(token.split('.').at(-1) as string, 'base64url'))
      assert.equal(verifyToken(SECRET, format, 'purpose\u0000box', respelt), undefined)
    })

    it('refuses over-long, empty and malformed input', () => {
      const token = signToken(SECRET, format, 'c', BODY)
      for (const bad of ['', '.', `${token}.x`, `${token}=`, 'A'.repeat(format.maxLength + 1), token.slice(0, 4)]) {
        assert.equal(verifyToken(SECRET, format, 'c', bad), undefined, JSON.stringify(bad))
      }
    })
  })
}
