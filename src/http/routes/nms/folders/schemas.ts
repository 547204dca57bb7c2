/**
 * TypeBox schemas of the folder routes (nms-spec-digest.md sections 2.6 to 2.11, R10 to R14):
 * the HTTP wrappers around the wire shapes of src/nms/wire, which the NMS layer derives its
 * types from. Request schemas bound sizes; response schemas list every member so nothing else
 * leaks out. Numbers given as strings are accepted (ajv coerceTypes), as the digest asks (0.3).
 */
import { Type } from '@sinclair/typebox'
import { BulkResponseListSchema } from '../../../../nms/wire/bulk.js'
import {
  CreateFolderInputSchema, FolderListSchema, GetFolderQuerySchema, NmsFolderSchema
} from '../../../../nms/wire/folder.js'
import { NmsReferenceSchema } from '../../../../nms/wire/reference.js'
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

/** `{"folder": ...}` */
export const FolderBody = Type.Object({ folder: NmsFolderSchema })

/** Query of GET folder (digest R11). */
export const FolderQuery = GetFolderQuerySchema

/** Body of POST /folders (digest R10); members a client may not send are refused. */
export const CreateFolderRequest = Type.Object({ folder: CreateFolderInputSchema })

/** `{"reference": ...}` */
export const ReferenceBody = Type.Object({ reference: NmsReferenceSchema })

/** `{"name": ...}` of the folderName resource (digest R12). */
export const NameBody = Type.Object({ name: Type.String({ maxLength: 1024 }) })

/** Body of folder search: `selectionCriteria` (digest 2.10). */
export const FolderSearchRequest = SearchRequest

/** `{"folderList": ...}` */
export const FolderListBody = Type.Object({ folderList: FolderListSchema })

/** Query of GET pathToId; `path` is optional here (digest R14). */
export const PathQuery = Type.Object({ path: Type.Optional(Type.String({ maxLength: 8192 })) })

/** Body of POST pathToId: `pathList` (digest 2.7). */
export const PathListRequest = Type.Object({
  pathList: Type.Object({ path: Type.Array(Type.String({ maxLength: 8192 }), { minItems: 1, maxItems: 1000 }) })
})

/** `{"bulkResponseList": ...}` (digest 2.8). */
export const BulkResponseBody = Type.Object({ bulkResponseList: BulkResponseListSchema })

/** The empty body of a 204. */
export const NoContent = Type.Null({ description: 'No content' })
