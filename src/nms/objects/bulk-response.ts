/**
 * `bulkResponseList` items and the overall status of a bulk request (nms-spec-digest.md 2.8,
 * R9): one `response` per item in request order, each with `code`, `reason` and either a
 * `success` Reference or a wrapper-less `failure` (digest 6.1). The request answers 200 when at
 * least one item succeeded, else the status of the first failure, always with the full list
 * (client profile check 24: a bodiless answer stalls the deployed client).
 */
import { STATUS_CODES } from 'node:http'
import { GatewayError, isGatewayError } from '../../errors/gateway-error.js'
import { toFailure } from '../../errors/to-nms-body.js'
import type { NmsReference } from '../wire/reference.js'
import type { BulkItemResponse } from '../wire/bulk.js'

export type { BulkItemResponse }

/** A successful item. */
export function bulkSuccess (code: 200 | 201, reference: NmsReference): BulkItemResponse {
  return { code, reason: STATUS_CODES[code] as string, success: reference }
}

/**
 * A failed item. Errors that are not GatewayErrors are programming faults: they are logged by
 * the caller and reported as 500 SVC0001 with the request id.
 */
export function bulkFailure (err: unknown, requestId: string): BulkItemResponse {
  const gw = isGatewayError(err) ? err : new GatewayError('GW_ERR_INTERNAL', { variables: [requestId], cause: err })
  return { code: gw.statusCode, reason: STATUS_CODES[gw.statusCode] ?? 'Error', failure: toFailure(gw) }
}

/** 200 when any item succeeded, else the first failure's status. */
export function bulkStatus (items: readonly BulkItemResponse[]): number {
  if (items.some((i) => i.success !== undefined)) return 200
  return items[0]?.code ?? 200
}
