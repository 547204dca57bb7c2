/**
 * TypeBox schemas of bulkUpdate and bulkDelete (client profile 3.4): the request wrappers around
 * src/nms/wire/bulk.ts, which src/nms/objects derives its input types from.
 */
import { Type } from '@sinclair/typebox'
import { BulkDeleteInputSchema, BulkUpdateInputSchema } from '../../../../nms/wire/bulk.js'

/** `{"bulkUpdate": {...}}` */
export const BulkUpdateRequest = Type.Object({ bulkUpdate: BulkUpdateInputSchema })

/** `{"bulkDelete": {...}}` */
export const BulkDeleteRequest = Type.Object({ bulkDelete: BulkDeleteInputSchema })
