/**
 * Wire schemas of the folder resources (OMA NMS TS sections 5.3.2.8 to 5.3.2.14, 6.10, 6.11, 6.13,
 * 6.15 and 6.16, OMA NMS TS being OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C), the single source of
 * both the HTTP routes' validation and serialisation and the types src/nms/folders builds and
 * reads (`Static<>`). fast-json-stringify writes exactly the members a response schema lists, so
 * a member the NMS layer adds must be added here, or it never reaches the client; deriving the
 * types from these schemas makes that a compile error instead.
 */
import { Type, type Static } from '@sinclair/typebox'
import { NmsReferenceSchema } from './reference.js'

/** `Attribute` of a folder (OMA NMS TS section 5.3.2.5); the bounds apply to what clients send. */
export const FolderAttributeSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
  value: Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 })
})
export type FolderAttribute = Static<typeof FolderAttributeSchema>

/** `Folder` (OMA NMS TS section 5.3.2.8) as returned, XSD order. */
export const NmsFolderSchema = Type.Object({
  parentFolder: Type.Optional(Type.String()),
  attributes: Type.Object({ attribute: Type.Array(FolderAttributeSchema) }),
  resourceURL: Type.String(),
  path: Type.Optional(Type.String()),
  name: Type.String(),
  lastModSeq: Type.Integer(),
  cursor: Type.Optional(Type.String()),
  subFolders: Type.Optional(Type.Object({ folderReference: Type.Array(NmsReferenceSchema) })),
  objects: Type.Optional(Type.Object({ objectReference: Type.Array(NmsReferenceSchema) }))
})
export type NmsFolder = Static<typeof NmsFolderSchema>

/** `FolderList` (OMA NMS TS section 5.3.2.9): one batch of folders and, when more may follow, a cursor. */
export const FolderListSchema = Type.Object({
  folder: Type.Array(NmsFolderSchema),
  cursor: Type.Optional(Type.String())
})
export type FolderList = Static<typeof FolderListSchema>

/** Query of GET folder (OMA NMS TS section 6.11.3), as received. */
export const GetFolderQuerySchema = Type.Object({
  listFilter: Type.Optional(Type.String({ description: 'Subfolders, Objects or All' })),
  maxEntries: Type.Optional(Type.Integer({ minimum: 1 })),
  fromCursor: Type.Optional(Type.String({ maxLength: 4096 })),
  path: Type.Optional(Type.String({ description: 'Yes to include the path' })),
  attrFilter: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 32 }))
})
export type GetFolderQuery = Static<typeof GetFolderQuerySchema>

/** The `folder` of POST /folders (OMA NMS TS section 6.10.5), as received; members clients may not send are refused. */
export const CreateFolderInputSchema = Type.Object({
  parentFolder: Type.Optional(Type.String({ maxLength: 4096 })),
  parentFolderPath: Type.Optional(Type.String({ maxLength: 8192 })),
  name: Type.Optional(Type.String({ maxLength: 1024 })),
  attributes: Type.Optional(Type.Object({
    attribute: Type.Optional(Type.Array(FolderAttributeSchema, { maxItems: 64 }))
  }))
}, { additionalProperties: false })
export type CreateFolderInput = Static<typeof CreateFolderInputSchema>

/** A reference as received in a copy or move. */
const ReferenceInput = Type.Object({
  resourceURL: Type.String({ maxLength: 4096 }),
  path: Type.Optional(Type.String({ maxLength: 8192 }))
})

/** `TargetSourceRef` (OMA NMS TS section 5.3.2.13) as received: both source lists are required, either may be empty. */
export const TargetSourceRefSchema = Type.Object({
  targetRef: ReferenceInput,
  sourceRefs: Type.Object({
    folders: Type.Object({ folderReference: Type.Array(ReferenceInput, { maxItems: 10_000 }) }),
    objects: Type.Object({ objectReference: Type.Array(ReferenceInput, { maxItems: 10_000 }) })
  })
})
export type TargetSourceRef = Static<typeof TargetSourceRefSchema>
