/**
 * Absolute URLs of resources (deployed clients parse them with java.net.URL, so they must be
 * absolute: nms-client-profile.md section 1.4). The boxId and every id are percent-encoded as
 * path segments (nms-spec-digest.md section 0.1).
 */
import type { Config } from '../config/schema.js'

/** `NMS_PUBLIC_URL` without a trailing slash, or `http://{host}:{port}`. */
export function publicBaseUrl (config: Readonly<Config>): string {
  const base = config.http.publicUrl ?? `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${config.http.port}`
  return base.replace(/\/+$/, '')
}

/** RFC 3986 segment encoding; also encodes `!'()*` which encodeURIComponent leaves. */
export function encodeSegment (s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Base URL of one box: `{public}/nms/v1/{storeName}/{boxId}`. */
export function boxBaseUrl (config: Readonly<Config>, boxId: string): string {
  return `${publicBaseUrl(config)}/nms/v1/${encodeSegment(config.nms.storeName)}/${encodeSegment(boxId)}`
}
