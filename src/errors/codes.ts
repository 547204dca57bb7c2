/**
 * The error catalogue: every gateway error code with its HTTP status and NMS exception
 * (nms-spec-digest.md section 6). README's error table is kept equal to this by
 * test/golden/error-catalogue.test.ts. Once published, a code is never renamed or reused.
 *
 * `text` is the registered OMA template with `%1`, `%2` left in place; the values travel in
 * `variables`, as the TS examples send them (digest 6.1).
 */
export interface ErrorSpec {
  readonly status: number
  readonly kind: 'serviceException' | 'policyException'
  readonly messageId: string
  readonly text: string
  /** One line for README's error table. */
  readonly when: string
}

export const ERROR_CODES = {
  GW_ERR_INPUT_INVALID: {
    status: 400,
    kind: 'serviceException',
    messageId: 'SVC0002',
    text: 'Invalid input value for message part %1',
    when: 'malformed JSON, a body or parameter that fails the schema, a bad folder name or path, a bad cursor'
  },
  GW_ERR_INPUT_INVALID_CHOICE: {
    status: 400,
    kind: 'serviceException',
    messageId: 'SVC0003',
    text: 'Invalid input value for message part %1, valid values are %2',
    when: 'a value outside the supported set (the valid ones are listed)'
  },
  GW_ERR_FOLDER_PATH_MISSING: {
    status: 400,
    kind: 'serviceException',
    messageId: 'SVC1009',
    text: 'Folder\'s path is missing. When more than one root folder exists, folder\'s path must be provided.',
    when: 'folder pathToId without `path` while the box has several root folders'
  },
  GW_ERR_AUTH_MISSING: {
    status: 401,
    kind: 'serviceException',
    messageId: 'SVC2003',
    text: 'Invalid access token %1',
    when: 'no `Authorization: Bearer` token, or a token that fails verification (signature, expiry, issuer, audience, algorithm)'
  },
  GW_ERR_AUTH_FORBIDDEN: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL2003',
    text: 'Access denied %1',
    when: 'a user token on another box, or a token whose OMA scopes do not cover the method'
  },
  GW_ERR_IMAP_LOGIN_REFUSED: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL2001',
    text: 'User not provisioned for service %1',
    when: 'the IMAP server refused the login for this box (unknown user, wrong master credentials, rejected token)'
  },
  GW_ERR_FOLDER_PROTECTED: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL1030',
    text: 'Folder cannot be modified, moved or deleted',
    when: 'rename, move or delete of a protected folder (configured, INBOX, or a folder holding one)'
  },
  GW_ERR_FOLDER_CREATE_PROHIBITED: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL1031',
    text: 'Attempt to create objects or folders under %1 is prohibited',
    when: 'creating under a server-only folder with a user token'
  },
  GW_ERR_BULK_TOO_MANY: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL2008',
    text: 'Too many resources requested %1',
    when: 'a bulk request (bulkCreation, bulkUpdate, bulkDelete, copyToFolder, moveToFolder) with more items than `objects.bulkMaxItems`'
  },
  GW_ERR_SUBSCRIPTIONS_TOO_MANY: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL0005',
    text: 'Too many notifications requested %1',
    when: 'a new subscription while the box already has `subscriptions.maxPerBox`'
  },
  GW_ERR_CHANNEL_TYPE_UNSUPPORTED: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL1023',
    text: 'Notification channel type %1 not supported. Supported types: %2.',
    when: 'a notification channel of a type other than `LongPolling`'
  },
  GW_ERR_CHANNELS_TOO_MANY: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL0005',
    text: 'Too many notifications requested %1',
    when: 'a new notification channel while the user already has `notificationChannel.maxPerUser`'
  },
  GW_ERR_FEATURE_UNAVAILABLE: {
    status: 403,
    kind: 'policyException',
    messageId: 'POL2006',
    text: 'Requested feature not available %1',
    when: 'subscriptions while `NMS_IMAP_AUTH=oauthbearer` (watching a box needs a master-user login; the caller\'s token expires)'
  },
  GW_ERR_NOT_FOUND: {
    status: 404,
    kind: 'serviceException',
    messageId: 'SVC0004',
    text: 'No valid addresses provided in message part %1',
    when: 'unknown resource, store, folder, object, subscription or path'
  },
  GW_ERR_PATH_UNKNOWN: {
    status: 404,
    kind: 'serviceException',
    messageId: 'SVC2008',
    text: 'Unknown %1 %2',
    when: 'a well-formed path that names nothing, in a bulk pathToId item'
  },
  GW_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    kind: 'policyException',
    messageId: 'POL2006',
    text: 'Requested feature not available %1',
    when: 'a method the resource does not support (the `Allow` header lists those it does)'
  },
  GW_ERR_SEARCH_UNSUPPORTED: {
    status: 405,
    kind: 'policyException',
    messageId: 'POL2006',
    text: 'Requested feature not available %1',
    when: 'a search with a PresetSearch the gateway does not offer (deployed clients retry without it)'
  },
  GW_ERR_CHANNEL_POLL_REPLACED: {
    status: 409,
    kind: 'serviceException',
    messageId: 'SVC1012',
    text: 'Simultaneous channel requests not supported',
    when: 'a long poll ended by a newer poll of the same channel (the newer one is served)'
  },
  GW_ERR_BODY_TOO_LARGE: {
    status: 413,
    kind: 'policyException',
    messageId: 'POL2004',
    text: 'File size limit exceeded %1',
    when: 'a request body larger than `NMS_MAX_BODY_BYTES`'
  },
  GW_ERR_MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    kind: 'policyException',
    messageId: 'POL0011',
    text: 'Media type not supported %1',
    when: 'a request body in a media type the resource does not accept'
  },
  GW_ERR_INTERNAL: {
    status: 500,
    kind: 'serviceException',
    messageId: 'SVC0001',
    text: 'A service error occurred. Error code is %1',
    when: 'a gateway fault; the log has the details under the request id given in `variables`'
  },
  GW_ERR_IMAP_FAILED: {
    status: 502,
    kind: 'serviceException',
    messageId: 'SVC0001',
    text: 'A service error occurred. Error code is %1',
    when: 'the IMAP server answered a command with NO/BAD that the gateway cannot map to a client error'
  },
  GW_ERR_IMAP_UNAVAILABLE: {
    status: 503,
    kind: 'serviceException',
    messageId: 'SVC2001',
    text: 'No server resources available to process the request %1',
    when: 'the IMAP server is unreachable or the connection pool is exhausted; `Retry-After` says when to try again'
  },
  GW_ERR_AUTH_KEYS_UNAVAILABLE: {
    status: 503,
    kind: 'serviceException',
    messageId: 'SVC2001',
    text: 'No server resources available to process the request %1',
    when: 'the token key set (`NMS_AUTH_JWKS_URL`) cannot be fetched; `Retry-After` says when to try again (not a 401, which sends clients into re-authentication)'
  },
  GW_ERR_STORE_UNAVAILABLE: {
    status: 503,
    kind: 'serviceException',
    messageId: 'SVC2001',
    text: 'No server resources available to process the request %1',
    when: 'Redis is unreachable; `Retry-After` says when to try again'
  }
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERROR_CODES
