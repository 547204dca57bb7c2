import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { folderNameProblem, modifiedUtf7Length } from '../../../../src/nms/folders/names.js'

describe('folder names', () => {
  it('accepts names IMAP can carry quoted or as a literal', () => {
    for (const ok of ['Work', 'say "hi"', 'back\\slash', 'r\u00e9sum\u00e9', '\u65e5\u672c', 'smile \ud83d\ude00', 'Tom & Jerry', '{5}', 'NIL', 'a.b', '.hidden', 'x'.repeat(255)]) {
      assert.equal(folderNameProblem(ok, '/'), undefined, ok)
    }
  })

  it('refuses what IMAP cannot hold or what would change a command', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'], ['.', 'dot'], ['..', 'dot'], ['a/b', '/'], ['a\rb', 'control'], ['a\nb', 'control'], ['a\u0000b', 'control'],
      ['a\tb', 'control'], ['a\u007fb', 'control'], ['a\u0085b', 'control'], ['a\u2028b', 'control'], ['a*', 'wildcard'], ['a%', 'wildcard'],
      [' a', 'white'], ['a ', 'white'], ['\u00a0a', 'white'], ['a\ud800', 'Unicode'], ['x'.repeat(256), 'bytes'], ['\u00e9'.repeat(128), 'bytes'],
      ['\u00e9'.repeat(127), 'modified UTF-7']
    ]
    for (const [name, why] of cases) {
      const problem = folderNameProblem(name, '/')
      assert.ok(problem !== undefined, JSON.stringify(name))
      assert.ok(problem.includes(why) || why === 'dot' || why === '/', `${JSON.stringify(name)}: ${problem}`)
    }
  })

  it('refuses the server delimiter when it is not /', () => {
    assert.equal(folderNameProblem('a.b', '/'), undefined)
    assert.match(folderNameProblem('a.b', '.') ?? '', /delimiter/)
  })

  it('measures names in modified UTF-7 (RFC 3501 section 5.1.3)', () => {
    assert.equal(modifiedUtf7Length('abc'), 3)
    assert.equal(modifiedUtf7Length('&'), 2)
    assert.equal(modifiedUtf7Length('\u00e9'), '&AOk-'.length)
    assert.equal(modifiedUtf7Length('\u65e5\u672c'), '&ZeVnLA-'.length)
    assert.equal(modifiedUtf7Length('a\u65e5b'), 'a&ZeU-b'.length)
  })
})
