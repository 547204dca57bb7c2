/**
 * What every key source yields (key-source.ts picks one, key-file.ts reads the file-based one).
 * Its own module so the file reader does not import the selector that imports it.
 */
import type { JWTVerifyGetKey, KeyInput } from 'jose'

/** A verification key (or key resolver) and the algorithms it may verify. */
export interface KeySource {
  readonly key: KeyInput | JWTVerifyGetKey
  readonly algorithms: readonly string[]
}
