/**
 * The `object` of a creation request (nms-spec-digest.md R1, 2.1), read from the `root-fields`
 * form entry. Accepted: `{"object": {...}}` and the unwrapped Object (digest R1; client profile
 * 3.3 notes clients that would send it bare), and for bulkCreation `{"objectList": {"object":
 * [...]}}` or the bare ObjectList.
 *
 * Decision: the members a client must not send (`resourceURL`, `path`, `payloadURL`,
 * `payloadPart`, `lastModSeq`, digest R1) are refused with 400 SVC0002 naming the member, so a
 * client that expects them to be honoured learns otherwise. Other unknown members are ignored.
 * A `value` or `flag` given as a single string instead of an array is accepted (digest 0.3:
 * be lenient on input).
 */
import sjson from 'secure-json-parse'
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import { headerValue } from '../../shared/mime/header-block.js'
import { parseStructured, type MimePart } from './multipart-parse.js'

/** One attribute as received, values normalised to an array. */
export interface InputAttribute {
  name: string
  value: string[]
}

/** A validated creation object. */
export interface CreateObjectInput {
  parentFolder?: string | undefined
  parentFolderPath?: string | undefined
  attributes: InputAttribute[]
  flags: string[]
  correlationId?: string | undefined
  correlationTag?: string | undefined
}

/** Members only the server may set (digest R1). */
const SERVER_MEMBERS = ['resourceURL', 'path', 'payloadURL', 'payloadPart', 'lastModSeq']

type Json = Record<string, unknown>

function isObject (v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function optionalString (o: Json, key: string, where: string): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw invalidInput(`${where}.${key}`)
  return v
}

function stringList (v: unknown, where: string): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  throw invalidInput(where)
}

function readAttributes (o: Json, where: string): InputAttribute[] {
  const attrs = o.attributes
  if (attrs === undefined || attrs === null) return []
  if (!isObject(attrs)) throw invalidInput(`${where}.attributes`)
  const list = attrs.attribute
  if (list === undefined || list === null) return []
  const items = Array.isArray(list) ? list : [list]
  return items.map((a, i) => {
    const at = `${where}.attributes.attribute.${i}`
    if (!isObject(a) || typeof a.name !== 'string' || a.name === '') throw invalidInput(at)
    return { name: a.name, value: a.value === undefined || a.value === null ? [] : stringList(a.value, `${at}.value`) }
  })
}

function readFlags (o: Json, where: string): string[] {
  const flags = o.flags
  if (flags === undefined || flags === null) return []
  if (!isObject(flags)) throw invalidInput(`${where}.flags`)
  return flags.flag === undefined || flags.flag === null ? [] : stringList(flags.flag, `${where}.flags.flag`)
}

/** Validates one Object; `where` names it in errors (`object`, `objectList.object.2`). */
export function readObjectInput (value: unknown, where: string): CreateObjectInput {
  if (!isObject(value)) throw invalidInput(where)
  for (const m of SERVER_MEMBERS) {
    if (value[m] !== undefined) throw invalidInput(`${where}.${m}`, 'a member only the server sets')
  }
  const parentFolder = optionalString(value, 'parentFolder', where)
  const parentFolderPath = optionalString(value, 'parentFolderPath', where)
  // The XSD makes the two a choice (digest R1).
  if (parentFolder !== undefined && parentFolderPath !== undefined) throw invalidInput(`${where}.parentFolder`, 'both parents given')
  return {
    parentFolder,
    parentFolderPath,
    attributes: readAttributes(value, where),
    flags: readFlags(value, where),
    correlationId: optionalString(value, 'correlationId', where),
    correlationTag: optionalString(value, 'correlationTag', where)
  }
}

/**
 * The JSON of the `root-fields` entry.
 * @throws GatewayError 400 SVC0002 `root-fields` when absent or not JSON; 415 for XML (later issue).
 */
export function parseRootFields (part: MimePart | undefined): unknown {
  if (part === undefined) throw invalidInput('root-fields', 'no root-fields form entry')
  const type = headerValue(part.headers, 'content-type')
  if (type !== undefined) {
    const t = parseStructured(type).value
    if (/^(application|text)\/([\w.+-]+\+)?xml$/.test(t)) {
      throw new GatewayError('GW_ERR_MEDIA_TYPE_UNSUPPORTED', { variables: [`root-fields ${t}`] })
    }
  }
  const text = part.body.toString('utf8').replace(/^\uFEFF/, '')
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (err) {
    throw invalidInput('root-fields', `malformed JSON: ${(err as Error).message}`)
  }
}

/** The creation object of POST /objects: `{"object": ...}` or the bare Object. */
export function singleObjectInput (json: unknown): CreateObjectInput {
  if (isObject(json) && isObject(json.object)) return readObjectInput(json.object, 'object')
  if (isObject(json) && json.object !== undefined) throw invalidInput('object')
  return readObjectInput(json, 'object')
}

/**
 * The objects of bulkCreation, unvalidated (each is validated on its own, so one bad item
 * fails alone): `{"objectList": {"object": [...]}}` or the bare ObjectList.
 * @throws GatewayError 400 SVC0002 `objectList` when there is no list.
 */
export function bulkObjectInputs (json: unknown): unknown[] {
  const list = isObject(json) && isObject(json.objectList) ? json.objectList : json
  if (!isObject(list)) throw invalidInput('objectList')
  const objects = list.object
  if (Array.isArray(objects) && objects.length > 0) return objects
  if (isObject(objects)) return [objects]
  throw invalidInput('objectList.object')
}
