/**
 * Wire formats of the signed tokens (src/nms/ids/signed-token.ts): a cursor, a restartToken and
 * a creationCursor minted with a fixed key before the codecs shared one implementation. Clients
 * hold such tokens across gateway upgrades, so the same inputs must still give these exact
 * strings, and these strings must still decode.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeCursor, encodeCursor, type CursorBinding } from '../../../../src/nms/ids/cursor.js'
import { decodeToken, encodeToken, type BoxPosition } from '../../../../src/nms/ids/restart-token.js'

const KEY = Buffer.from('pinned-wire-format-key-0123456789', 'utf8')
const BOX = 'tel:+15551230001'
const BINDING: CursorBinding = { box: BOX, kind: 'folderSearch', request: { folderId: 'f1', criteria: { b: 1, a: [2, 'x'] } } }
const CURSOR_POSITION = { name: 'INBOX', uid: 42 }
const PINNED_CURSOR = 'eyJ2IjoxLCJoIjoiY0NaX2hCLUtTSFZUaV9INVFjYmNIdSIsInAiOnsibmFtZSI6IklOQk9YIiwidWlkIjo0Mn19.gEtFsoxfXtjqK6tT_r5K2w'
const POSITION: BoxPosition = { epoch: '0123456789abcdef', seq: 1234567 }
const PINNED_RESTART_TOKEN = 'AQEjRWeJq83vAAAAAAAS1odcz3MuGDnTMfYLW-k'
const PINNED_CREATION_CURSOR = 'AQEjRWeJq83vAAAAAAAS1of-SFnV7guml4ae3TI'

describe('signed token wire formats', () => {
  it('a cursor is byte-identical to one issued before, and that one still decodes', () => {
    assert.equal(encodeCursor(KEY, BINDING, CURSOR_POSITION), PINNED_CURSOR)
    assert.deepEqual(decodeCursor(KEY, BINDING, PINNED_CURSOR), CURSOR_POSITION)
  })

  it('a restartToken and a creationCursor are byte-identical to ones issued before, and those still decode', () => {
    assert.equal(encodeToken(KEY, 'rt', BOX, POSITION), PINNED_RESTART_TOKEN)
    assert.equal(encodeToken(KEY, 'cc', BOX, POSITION), PINNED_CREATION_CURSOR)
    assert.deepEqual(decodeToken(KEY, 'rt', BOX, PINNED_RESTART_TOKEN), POSITION)
    assert.deepEqual(decodeToken(KEY, 'cc', BOX, PINNED_CREATION_CURSOR), POSITION)
  })
})
