/**
 * Builds the frozen configuration: `config/default.json`, then the file named by `NMS_CONFIG`,
 * then the environment variables of architecture.md section 9 (and `<NAME>_FILE` for secrets).
 * This is the only module that reads `process.env`. An invalid result throws a ConfigError that
 * lists every problem, so startup fails once with the whole picture.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Value } from '@sinclair/typebox/value'
import { ConfigSchema, type Config } from './schema.js'
import { ENV_VARS, type EnvVar } from './env-vars.js'

const DEFAULT_FILE = fileURLToPath(new URL('../../config/default.json', import.meta.url))

/** Thrown when the merged configuration is invalid; `problems` has one line per issue. */
export class ConfigError extends Error {
  readonly problems: string[]
  constructor (problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

type Json = Record<string, unknown>

function isObject (v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Deep merge where arrays and scalars of `over` replace those of `base`. */
export function mergeConfig (base: Json, over: Json): Json {
  const out: Json = { ...base }
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? mergeConfig(out[k] as Json, v) : v
  }
  return out
}

function setPath (target: Json, path: string, value: unknown): void {
  const parts = path.split('.')
  let node = target
  for (const p of parts.slice(0, -1)) {
    if (!isObject(node[p])) node[p] = {}
    node = node[p] as Json
  }
  node[parts[parts.length - 1] as string] = value
}

function readJsonFile (file: string, problems: string[]): Json {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (!isObject(parsed)) {
      problems.push(`${file}: must contain a JSON object`)
      return {}
    }
    return parsed
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`)
    return {}
  }
}

function convertEnv (v: EnvVar, raw: string, problems: string[]): unknown {
  switch (v.kind) {
    case 'integer': {
      if (!/^-?\d+$/.test(raw.trim())) {
        problems.push(`${v.name}: "${raw}" is not an integer`)
        return undefined
      }
      return Number(raw.trim())
    }
    case 'boolean': {
      const t = raw.trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(t)) return true
      if (['false', '0', 'no', 'off'].includes(t)) return false
      problems.push(`${v.name}: "${raw}" is not a boolean (true/false)`)
      return undefined
    }
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
    default:
      return raw
  }
}

/** Options for {@link loadConfig}; tests pass their own environment. */
export interface LoadOptions {
  env?: NodeJS.ProcessEnv
  /** Extra object merged after the environment (tests, the demo). */
  overrides?: Json
}

/**
 * Loads and validates the configuration.
 * @throws ConfigError listing every problem found
 */
export function loadConfig (opts: LoadOptions = {}): Readonly<Config> {
  const env = opts.env ?? process.env
  const problems: string[] = []
  let merged = readJsonFile(DEFAULT_FILE, problems)
  const extraFile = env.NMS_CONFIG
  if (extraFile !== undefined && extraFile !== '') merged = mergeConfig(merged, readJsonFile(extraFile, problems))

  const fromEnv: Json = {}
  for (const v of ENV_VARS) {
    let raw = env[v.name]
    const fileVar = env[`${v.name}_FILE`]
    if (v.secret === true && (raw === undefined || raw === '') && fileVar !== undefined && fileVar !== '') {
      try {
        raw = readFileSync(fileVar, 'utf8').trim()
      } catch (err) {
        problems.push(`${v.name}_FILE: ${(err as Error).message}`)
      }
    }
    if (raw === undefined || raw === '') continue
    const value = convertEnv(v, raw, problems)
    if (value !== undefined) setPath(fromEnv, v.path, value)
  }
  merged = mergeConfig(merged, fromEnv)
  if (opts.overrides !== undefined) merged = mergeConfig(merged, opts.overrides)

  for (const e of Value.Errors(ConfigSchema, merged)) {
    const where = e.path === '' ? '(root)' : e.path.slice(1).replaceAll('/', '.')
    const envVar = ENV_VARS.find((v) => v.path === where)
    problems.push(`${where}${envVar ? ` (${envVar.name})` : ''}: ${e.message}`)
  }
  problems.push(...crossFieldProblems(merged))
  if (problems.length > 0) throw new ConfigError(problems)
  return deepFreeze(merged as Config)
}

/** Rules a JSON schema cannot express on its own. */
function crossFieldProblems (c: Json): string[] {
  const out: string[] = []
  const imap = isObject(c.imap) ? c.imap : {}
  const auth = isObject(c.auth) ? c.auth : {}
  if ((imap.auth === 'authzid' || imap.auth === 'separator') && (imap.masterUser === undefined || imap.masterPassword === undefined)) {
    out.push(`imap.masterUser/imap.masterPassword (NMS_IMAP_MASTER_USER, NMS_IMAP_MASTER_PASSWORD): required when NMS_IMAP_AUTH is ${String(imap.auth)}`)
  }
  const sources = ['jwksUrl', 'jwksFile', 'hs256Secret'].filter((k) => auth[k] !== undefined)
  if (sources.length !== 1) {
    out.push(`auth (NMS_AUTH_JWKS_URL, NMS_AUTH_JWKS_FILE, NMS_AUTH_HS256_SECRET): exactly one key source must be set, found ${sources.length}`)
  }
  return out
}

function deepFreeze<T> (o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}
