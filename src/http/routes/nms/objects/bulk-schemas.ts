/**
 * TypeBox schemas of bulkUpdate and bulkDelete (client profile 3.4). Only the wrapper is
 * checked here: each reference is checked on its own, so one malformed item fails alone
 * (400 SVC0002 item) instead of the whole request.
 */
import { Type } from '@sinclair/typebox'

const References = Type.Unknown({ description: '`{"objectReference": [{"resourceURL": ...}, ...]}`' })

/** `{"bulkUpdate": {...}}` */
export const BulkUpdateRequest = Type.Object({
  bulkUpdate: Type.Object({
    operation: Type.Optional(Type.Unknown({ description: 'AddFlag or RemoveFlag' })),
    flags: Type.Optional(Type.Unknown({ description: '`{"flag": [...]}`' })),
    objects: Type.Optional(References),
    selectionCriteria: Type.Optional(Type.Unknown({ description: 'not supported yet: 400 SVC0003' }))
  })
})

/** `{"bulkDelete": {...}}` */
export const BulkDeleteRequest = Type.Object({
  bulkDelete: Type.Object({
    objects: Type.Optional(References),
    selectionCriteria: Type.Optional(Type.Unknown({ description: 'not supported yet: 400 SVC0003' }))
  })
})
