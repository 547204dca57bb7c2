/**
 * Keys from a local file (`NMS_AUTH_JWKS_FILE`): a JWKS (RFC 7517 section 5) or a single JWK
 * in JSON, or a PEM public key (SPKI, RFC 7468 section 13) or X.509 certificate (RFC 7468
 * section 5). The file is read once, at startup; a file that holds private or symmetric keys is
 * refused rather than used, since verification must never depend on secret material there.
 */
import { readFile } from 'node:fs/promises'
import { createLocalJWKSet, errors, importSPKI, importX509, type CryptoKey, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { ConfigError } from '../config/load.js'
import type { KeySource } from './verification-key.js'

const WHERE = 'auth.jwksFile (NMS_AUTH_JWKS_FILE)'

function problem (file: string, what: string): ConfigError {
  return new ConfigError([`${WHERE}: ${file}: ${what}`])
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A JWKS, or a single JWK wrapped as one; public keys only. */
function parseJwks (file: string, text: string): JSONWebKeySet {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw problem(file, 'not valid JSON')
  }
  const keys: unknown = isObject(parsed) && Array.isArray(parsed.keys) ? parsed.keys : [parsed]
  if (!Array.isArray(keys) || keys.length === 0) throw problem(file, 'the key set has no keys')
  for (const k of keys) {
    if (!isObject(k) || typeof k.kty !== 'string') throw problem(file, 'not a JWK set (a key has no "kty")')
    // `d` (RSA/EC/OKP private part), `priv` (AKP) or a symmetric key: never accepted here.
    if (k.kty === 'oct' || k.d !== undefined || k.priv !== undefined) {
      throw problem(file, 'the key set must hold public keys only')
    }
  }
  return { keys } as JSONWebKeySet
}

/** The first PEM block of `text`, with its label. */
function firstPem (text: string): { label: string, pem: string } | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/.exec(text)
  return m === null || m[1] === undefined ? undefined : { label: m[1], pem: m[0] }
}

/**
 * One CryptoKey per allowed algorithm the PEM key can serve (a WebCrypto key is bound to one
 * algorithm: an RSA key serves RS* and PS*, a P-256 key only ES256). The allow-list shrinks to
 * those, so a token with any other `alg` fails as "algorithm not allowed".
 */
async function pemKeySource (
  file: string, label: string, pem: string, algorithms: readonly string[]
): Promise<KeySource> {
  const importer = label === 'CERTIFICATE' ? importX509 : label === 'PUBLIC KEY' ? importSPKI : undefined
  if (importer === undefined) {
    throw problem(file, `a PEM "${label}" block is not accepted; use a PUBLIC KEY or CERTIFICATE`)
  }
  const keys = new Map<string, CryptoKey>()
  for (const alg of algorithms) {
    try {
      keys.set(alg, await importer(pem, alg))
    } catch {
      // This key type cannot serve `alg`; leave it out of the allow-list.
    }
  }
  if (keys.size === 0) throw problem(file, `the key fits none of the allowed algorithms (${algorithms.join(', ')})`)
  const key: JWTVerifyGetKey = async (header) => {
    const found = header.alg === undefined ? undefined : keys.get(header.alg)
    if (found === undefined) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed')
    return found
  }
  return { key, algorithms: [...keys.keys()] }
}

/**
 * Reads the key file and builds its key source.
 * @throws ConfigError when the file is unreadable or holds no usable public key
 */
export async function keySourceFromFile (file: string, algorithms: readonly string[]): Promise<KeySource> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw problem(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    return { key: createLocalJWKSet(parseJwks(file, trimmed)), algorithms: [...algorithms] }
  }
  const block = firstPem(trimmed)
  if (block === undefined) throw problem(file, 'neither a JWK set nor a PEM public key or certificate')
  return await pemKeySource(file, block.label, block.pem, algorithms)
}
