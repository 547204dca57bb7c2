/**
 * The Redis store's Lua scripts (src/store/scripts/*.lua), checked without a Redis: each file
 * documents its KEYS and ARGV one by one and its replies in a header, each registered script
 * declares as many keys as its header lists (a wrong numberOfKeys shifts ARGV into KEYS, which
 * Redis Cluster routes by), and no store module sends a script's source with EVAL any more.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import {
  registerScripts, SCRIPT_KEY_COUNTS, SCRIPTS_DIR, scriptFile, scriptSources, type ScriptName
} from '../../../src/store/redis-scripts.js'

const STORE_DIR = new URL('../../../src/store/', import.meta.url)
const NAMES = Object.keys(SCRIPT_KEY_COUNTS) as ScriptName[]

interface Header {
  keys: number[]
  /** ARGV positions listed one by one; `from` is the first of a variadic `ARGV[n..]` tail. */
  argv: { positions: number[], from?: number }
  output: string
}

/** Parses the `--[[ ... ]]` block that opens a script: `Input:` with KEYS[n] and ARGV[n] lines, then `Output:`. */
function parseHeader (lua: string): Header {
  const block = /^--\[\[\n([\s\S]*?)\n\]\]\n/.exec(lua)?.[1]
  assert.ok(block !== undefined, 'opens with a --[[ ... ]] header')
  const input = block.indexOf('\n  Input:\n')
  const output = block.indexOf('\n  Output:\n')
  assert.ok(input > 0, 'a description, then Input:')
  assert.ok(output > input, 'Output: after Input:')
  const inputText = block.slice(input, output)
  const keys = [...inputText.matchAll(/^ {4}KEYS\[(\d+)\] \S/gm)].map((m) => Number(m[1]))
  const argv: Header['argv'] = { positions: [] }
  for (const m of inputText.matchAll(/^ {4}ARGV\[(\d+)(\.\.)?\] \S/gm)) {
    if (m[2] === undefined) argv.positions.push(Number(m[1]))
    else argv.from = Number(m[1])
  }
  return { keys, argv, output: block.slice(output + '\n  Output:\n'.length).trim() }
}

/** The indexes the script body reads from KEYS or ARGV with a literal index. */
function indexesUsed (body: string, table: 'KEYS' | 'ARGV'): number[] {
  return [...body.matchAll(new RegExp(`\\b${table}\\[(\\d+)\\]`, 'g'))].map((m) => Number(m[1]))
}

function bodyOf (lua: string): string {
  return lua.slice(lua.indexOf('\n]]\n') + 4)
}

function storeModules (dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return storeModules(new URL(`${e.name}/`, dir))
    return e.name.endsWith('.ts') ? [new URL(e.name, dir)] : []
  })
}

describe('Redis store Lua scripts', () => {
  it('has one kebab-case file per registered script and no other', () => {
    const files = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.lua')).sort()
    assert.deepEqual(files, NAMES.map(scriptFile).sort())
    for (const f of files) assert.match(f, /^[a-z]+(-[a-z]+)*\.lua$/)
    assert.equal(scriptFile('moveOutboxHeadToChannel'), 'move-outbox-head-to-channel.lua')
    assert.equal(NAMES.length, 17)
  })

  for (const name of NAMES) {
    describe(scriptFile(name), () => {
      const lua = scriptSources().get(name) ?? ''

      it('documents KEYS and ARGV one by one and what it returns', () => {
        const h = parseHeader(lua)
        assert.deepEqual(h.keys, h.keys.map((_, i) => i + 1), 'KEYS[1], KEYS[2], ... in order, none missing')
        const argv = h.argv.positions
        assert.deepEqual(argv, argv.map((_, i) => i + 1), 'ARGV[1], ARGV[2], ... in order, none missing')
        if (h.argv.from !== undefined) assert.equal(h.argv.from, argv.length + 1, 'a variadic ARGV tail follows the last single one')
        assert.ok(argv.length > 0 || h.argv.from !== undefined, 'some ARGV documented')
        assert.notEqual(h.output, '', 'Output: says what it returns')
      })

      it('registers with numberOfKeys equal to the KEYS its header lists, and reads no other', () => {
        const h = parseHeader(lua)
        assert.ok(h.keys.length > 0)
        assert.equal(SCRIPT_KEY_COUNTS[name], h.keys.length)
        const body = bodyOf(lua)
        assert.ok(Math.max(...indexesUsed(body, 'KEYS')) <= h.keys.length, 'every KEYS[n] the body reads is documented')
        for (const i of indexesUsed(body, 'ARGV')) {
          assert.ok(i <= h.argv.positions.length || h.argv.from !== undefined, `ARGV[${i}] is documented`)
        }
      })
    })
  }

  it('defines every script once per client, with its numberOfKeys, under a name no ioredis command has', () => {
    const defined: Array<{ name: string, numberOfKeys: number | undefined, lua: string }> = []
    const client = {
      defineCommand (name: string, d: { lua: string, numberOfKeys?: number }) {
        defined.push({ name, numberOfKeys: d.numberOfKeys, lua: d.lua })
      }
    } as unknown as Redis
    registerScripts(client)
    registerScripts(client)
    assert.deepEqual(defined.map((d) => d.name).sort(), [...NAMES].sort(), 'each script defined once')
    for (const d of defined) {
      const name = d.name as ScriptName
      assert.equal(d.numberOfKeys, parseHeader(d.lua).keys.length, `${name}: numberOfKeys = KEYS in its header`)
      assert.equal(d.lua, readFileSync(new URL(scriptFile(name), SCRIPTS_DIR), 'utf8'))
    }
    const builtins = new Set(Redis.prototype.getBuiltinCommands().map((c) => c.toLowerCase()))
    for (const name of NAMES) {
      assert.equal(builtins.has(name.toLowerCase()), false, `${name} is a Redis command`)
      assert.equal(name in Redis.prototype, false, `${name} would hide an ioredis method`)
    }
  })

  it('leaves no EVAL of an inline script in src/store', () => {
    const modules = storeModules(STORE_DIR)
    assert.ok(modules.length > 10)
    for (const file of modules) {
      const text = readFileSync(file, 'utf8')
      assert.doesNotMatch(text, /\beval\s*\(/i, file.pathname)
      assert.doesNotMatch(text, /\bEVAL\b/, file.pathname)
      assert.doesNotMatch(text, /redis\.call\(/, `${file.pathname}: Lua belongs in src/store/scripts/`)
    }
  })
})
