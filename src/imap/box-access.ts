/**
 * Which box an IMAP port call acts on. Its own module because every part of the port
 * (types.ts and the change, message and search types it re-exports) needs it: kept in types.ts,
 * the parts and the barrel would import each other.
 */

/** Which box to act on, and with whose credentials. */
export interface BoxAccess {
  /** Decoded NMS boxId, e.g. `tel:+15551234567`. */
  boxId: string
  /** The caller's bearer token; forwarded to IMAP in `oauthbearer` mode. */
  accessToken?: string | undefined
}
