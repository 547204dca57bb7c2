/**
 * The one schema of the gateway's configuration (architecture.md section 9).
 *
 * Every value has a default here or in `config/default.json`; `load.ts` merges the JSON files
 * and the environment variables on top and validates the result against this schema.
 */
import { FormatRegistry, Type, type Static } from '@sinclair/typebox'

// TypeBox validates formats only when registered; absolute URLs are all the config uses.
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (v) => URL.canParse(v) && /^[a-z][a-z0-9+.-]*:\/\//i.test(v))

const Port = Type.Integer({ minimum: 0, maximum: 65535 })
const Seconds = Type.Integer({ minimum: 1 })

export const ConfigSchema = Type.Object({
  http: Type.Object({
    host: Type.String({ minLength: 1, description: 'Listen address.' }),
    port: Port,
    publicUrl: Type.Optional(Type.String({ format: 'uri', description: 'Absolute base used in every URL the gateway returns.' })),
    maxBodyBytes: Type.Integer({ minimum: 1024, description: 'Largest accepted request body; 413 beyond.' }),
    requestTimeoutSeconds: Seconds,
    trustProxy: Type.Boolean()
  }, { additionalProperties: false }),
  nms: Type.Object({
    storeName: Type.String({ minLength: 1, pattern: '^[^/]+$' })
  }, { additionalProperties: false }),
  imap: Type.Object({
    host: Type.String({ minLength: 1 }),
    port: Port,
    security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]),
    tlsRejectUnauthorized: Type.Boolean(),
    auth: Type.Union([Type.Literal('authzid'), Type.Literal('separator'), Type.Literal('oauthbearer')]),
    masterUser: Type.Optional(Type.String({ minLength: 1 })),
    masterPassword: Type.Optional(Type.String({ minLength: 1 })),
    masterSeparator: Type.String({ minLength: 1, maxLength: 4 }),
    userTemplate: Type.String({ minLength: 1 }),
    connectTimeoutSeconds: Seconds,
    commandTimeoutSeconds: Seconds,
    pool: Type.Object({
      maxPerBox: Type.Integer({ minimum: 1 }),
      maxTotal: Type.Integer({ minimum: 1 }),
      idleSeconds: Seconds,
      acquireTimeoutSeconds: Seconds,
      maxSessionAgeSeconds: Type.Integer({ minimum: 1, description: 'A pooled session older than this is logged out instead of reused.' })
    }, { additionalProperties: false }),
    backoff: Type.Object({
      initialMs: Type.Integer({ minimum: 1 }),
      maxMs: Type.Integer({ minimum: 1 })
    }, { additionalProperties: false })
  }, { additionalProperties: false }),
  redis: Type.Object({
    url: Type.Optional(Type.String({ minLength: 1 })),
    keyPrefix: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' })
  }, { additionalProperties: false }),
  auth: Type.Object({
    jwksUrl: Type.Optional(Type.String({ format: 'uri' })),
    jwksFile: Type.Optional(Type.String({ minLength: 1 })),
    hs256Secret: Type.Optional(Type.String({ minLength: 32 })),
    issuer: Type.Optional(Type.String({ minLength: 1 })),
    audience: Type.Optional(Type.String({ minLength: 1 })),
    boxClaim: Type.String({ minLength: 1 }),
    serverScope: Type.String({ minLength: 1 }),
    algorithms: Type.Array(Type.String({ pattern: '^(?!none$)[A-Za-z0-9]+$' }), { minItems: 1 }),
    clockToleranceSeconds: Type.Integer({ minimum: 0 })
  }, { additionalProperties: false }),
  callbacks: Type.Object({
    allowPrivate: Type.Boolean()
  }, { additionalProperties: false }),
  log: Type.Object({
    level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))
  }, { additionalProperties: false }),
  watch: Type.Object({
    sweepSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'Interval of the all-folders HIGHESTMODSEQ sweep of watched boxes.' })
  }, { additionalProperties: false }),
  tracking: Type.Object({
    mode: Type.Union([Type.Literal('auto'), Type.Literal('snapshot')], { description: '`auto`: CONDSTORE/QRESYNC where the server has them; `snapshot`: always compare flag snapshots (servers without QRESYNC).' }),
    coalesceMs: Type.Integer({ minimum: 0, maximum: 10000, description: 'Changes reported within this window are synchronised (and notified) together.' }),
    snapshotEvery: Type.Integer({ minimum: 1, description: 'A full snapshot of the folder vector is written every this many log entries.' }),
    describeChunk: Type.Integer({ minimum: 1, maximum: 5000, description: 'Changed messages described per IMAP FETCH.' })
  }, { additionalProperties: false }),
  subscriptions: Type.Object({
    defaultDurationSeconds: Seconds,
    maxDurationSeconds: Seconds,
    maxPerBox: Type.Integer({ minimum: 1, description: 'Most live subscriptions one box may have (403 POL0005 beyond).' }),
    expirySweepSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'Interval of the job that removes expired subscriptions.' })
  }, { additionalProperties: false }),
  notifications: Type.Object({
    maxEventsPerList: Type.Integer({ minimum: 1, description: 'Most events in one nmsEventList.' }),
    attemptTimeoutSeconds: Seconds,
    retryInitialMs: Type.Integer({ minimum: 1 }),
    retryMaxMs: Type.Integer({ minimum: 1 }),
    refusedAttempts: Type.Integer({ minimum: 1, description: 'Attempts a receiver that keeps refusing (3xx, 4xx other than 404/408/410/429) gets before the subscription ends.' })
  }, { additionalProperties: false }),
  notificationChannel: Type.Object({
    holdSeconds: Seconds,
    defaultLifetimeSeconds: Seconds,
    maxLifetimeSeconds: Seconds,
    defaultMaxNotifications: Type.Integer({ minimum: 1, description: 'Notifications per poll answer when the channel asks for none.' }),
    maxNotifications: Type.Integer({ minimum: 1, description: 'Most notifications one poll answers, whatever the channel asks.' }),
    maxPerUser: Type.Integer({ minimum: 1, description: 'Most live channels of one user (403 POL0005 beyond).' }),
    expirySweepSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'Interval of the job that removes expired channels.' })
  }, { additionalProperties: false }),
  tokens: Type.Object({
    retentionSeconds: Seconds,
    secret: Type.Optional(Type.String({ minLength: 32 }))
  }, { additionalProperties: false }),
  lease: Type.Object({ seconds: Seconds }, { additionalProperties: false }),
  folders: Type.Object({
    protected: Type.Array(Type.String({ pattern: '^/' }), { description: 'Folder paths that cannot be renamed, moved or deleted (POL1030).' }),
    serverOnly: Type.Array(Type.String({ pattern: '^/' }), { description: 'Folder paths under which only server-scope tokens may create (POL1031).' }),
    listMaxEntries: Type.Integer({ minimum: 1, description: 'Default and largest page of a folder listing.' })
  }, { additionalProperties: false }),
  search: Type.Object({
    maxEntries: Type.Integer({ minimum: 1, description: 'Largest batch a search returns, whatever maxEntries asks (the spec lets the server return fewer).' }),
    scanLimit: Type.Integer({ minimum: 1, description: 'Most candidate messages one search batch examines after IMAP narrowed them; a batch that reaches it ends early with a cursor.' }),
    textPartMaxBytes: Type.Integer({ minimum: 0, description: 'Decoded bytes of each textual payload part a WholeWord search reads.' })
  }, { additionalProperties: false }),
  objects: Type.Object({
    defaultFolderPath: Type.String({ pattern: '^/', description: 'Where POST /objects puts an object that names no parent (created when missing).' }),
    textContentMaxBytes: Type.Integer({ minimum: 0, description: 'Largest text/plain pager-message body inlined as TextContent (architecture.md section 10).' }),
    messageContextDefault: Type.String({ minLength: 1, description: 'Message-Context when the header is absent and no rule matches.' }),
    messageContextRules: Type.Array(Type.Object({
      contentType: Type.String({ minLength: 1, description: 'Lower-case type/subtype of the message, or type/* .' }),
      maxSize: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages of at most this RFC822.SIZE.' })),
      hasSubject: Type.Optional(Type.Boolean({ description: 'Only messages with (true) or without (false) a Subject.' })),
      value: Type.String({ minLength: 1 })
    }, { additionalProperties: false }), { description: 'First matching rule gives Message-Context when the header is absent.' }),
    headerAttributes: Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 }), { description: 'Extra header name -> attribute name mappings.' }),
    smsCorrelationTag: Type.Boolean({ description: 'Compute correlationTag for pager-message objects by the deployed-client rule (client profile 3.1).' }),
    maxPayloadParts: Type.Integer({ minimum: 1, description: 'Most payloadPart entries listed per object.' }),
    bulkMaxItems: Type.Integer({ minimum: 1, description: 'Most items in one bulk request (403 POL2008 beyond).' })
  }, { additionalProperties: false })
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema>
