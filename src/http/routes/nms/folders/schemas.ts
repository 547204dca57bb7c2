/**
 * TypeBox schemas of the folder resources (nms-spec-digest.md sections 2.6 to 2.11, R10 to R14).
 * Request schemas bound sizes; response schemas list every member so nothing else leaks out.
 * Numbers given as strings are accepted (ajv coerceTypes), as the digest asks (0.3).
 */
import { Type } from '@sinclair/typebox'
import { SearchRequest } from '../search-schemas.js'

/** The scope's own parameters; the auth hook has checked both. */
export const BoxParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String()
})

/** Path parameters of `/folders/{folderId}...`. */
export const FolderParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String(),
  folderId: Type.String({ minLength: 1, maxLength: 256 })
})

/** `Reference` (digest 2.7). */
export const Reference = Type.Object({
  resourceURL: Type.String(),
  path: Type.Optional(Type.String())
})

/** `Attribute` (digest 2.4). */
export const Attribute = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
  value: Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 })
})

/** `Folder` as returned (digest 2.6). */
export const Folder = Type.Object({
  parentFolder: Type.Optional(Type.String()),
  attributes: Type.Object({ attribute: Type.Array(Attribute) }),
  resourceURL: Type.String(),
  path: Type.Optional(Type.String()),
  name: Type.String(),
  lastModSeq: Type.Integer(),
  cursor: Type.Optional(Type.String()),
  subFolders: Type.Optional(Type.Object({ folderReference: Type.Array(Reference) })),
  objects: Type.Optional(Type.Object({ objectReference: Type.Array(Reference) }))
})

/** `{"folder": ...}` */
export const FolderBody = Type.Object({ folder: Folder })

/** Query of GET folder (digest R11). */
export const FolderQuery = Type.Object({
  listFilter: Type.Optional(Type.String({ description: 'Subfolders, Objects or All' })),
  maxEntries: Type.Optional(Type.Integer({ minimum: 1 })),
  fromCursor: Type.Optional(Type.String({ maxLength: 4096 })),
  path: Type.Optional(Type.String({ description: 'Yes to include the path' })),
  attrFilter: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 32 }))
})

/** Body of POST /folders (digest R10); members a client may not send are refused. */
export const CreateFolderRequest = Type.Object({
  folder: Type.Object({
    parentFolder: Type.Optional(Type.String({ maxLength: 4096 })),
    parentFolderPath: Type.Optional(Type.String({ maxLength: 8192 })),
    name: Type.Optional(Type.String({ maxLength: 1024 })),
    attributes: Type.Optional(Type.Object({ attribute: Type.Optional(Type.Array(Attribute, { maxItems: 64 })) }))
  }, { additionalProperties: false })
})

/** `{"reference": ...}` */
export const ReferenceBody = Type.Object({ reference: Reference })

/** `{"name": ...}` of the folderName resource (digest R12). */
export const NameBody = Type.Object({ name: Type.String({ maxLength: 1024 }) })

/** Body of folder search: `selectionCriteria` (digest 2.10). */
export const FolderSearchRequest = SearchRequest

/** `{"folderList": ...}` */
export const FolderListBody = Type.Object({
  folderList: Type.Object({ folder: Type.Array(Folder), cursor: Type.Optional(Type.String()) })
})

/** Query of GET pathToId; `path` is optional here (digest R14). */
export const PathQuery = Type.Object({ path: Type.Optional(Type.String({ maxLength: 8192 })) })

/** Body of POST pathToId: `pathList` (digest 2.7). */
export const PathListRequest = Type.Object({
  pathList: Type.Object({ path: Type.Array(Type.String({ maxLength: 8192 }), { minItems: 1, maxItems: 1000 }) })
})

const Exception = Type.Object({ messageId: Type.String(), text: Type.String(), variables: Type.Array(Type.String()) })

const Failure = Type.Object({
  link: Type.Optional(Type.Array(Type.Object({ rel: Type.String(), href: Type.String() }))),
  serviceException: Type.Optional(Exception),
  policyException: Type.Optional(Exception)
})

/** `{"bulkResponseList": ...}` (digest 2.8). */
export const BulkResponseBody = Type.Object({
  bulkResponseList: Type.Object({
    response: Type.Array(Type.Object({
      code: Type.Integer(),
      reason: Type.String(),
      success: Type.Optional(Reference),
      failure: Type.Optional(Failure)
    }))
  })
})

/** The empty body of a 204. */
export const NoContent = Type.Null({ description: 'No content' })
