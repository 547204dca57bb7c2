/**
 * Every Redis key name, built in one place (style-and-layout.md rule 8). Per-box keys carry the
 * box in a `{...}` hash tag so Redis Cluster keeps one box's keys on one shard
 * (architecture.md section 8).
 */
export class Keys {
  constructor (private readonly prefix: string) {}

  /** Box ids may hold any character; hex keeps `{`, `}` and `:` out of the hash tag. */
  private box (boxId: string): string {
    return `{${Buffer.from(boxId, 'utf8').toString('hex')}}`
  }

  /** Gateway-wide secret that protects cursors and tokens when none is configured. */
  secret (): string { return `${this.prefix}:gw:secret` }
  /** Hash: folderId -> JSON folder record. */
  folderRecords (boxId: string): string { return `${this.prefix}:folders:${this.box(boxId)}:records` }
  /** Box sequence counter (architecture.md section 4). */
  boxSeq (boxId: string): string { return `${this.prefix}:box:${this.box(boxId)}:seq` }

  /** Hash: the tracker head (epoch, seq, floor, snap, trimmed). */
  trackerHead (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:head` }
  /** Hash: folderId -> JSON TrackedFolder at the head. */
  trackerFolders (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:folders` }
  /** Sorted set: the folder-state log, score = seq. */
  trackerLog (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:log` }
  /** Sorted set: full folder-vector snapshots, score = seq. */
  trackerSnapshots (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:snaps` }
  /** Sorted set: tombstones, score = seq. */
  trackerTombstones (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:tombs` }
  /** Hash: folderId -> JSON FlagSnapshot (servers without QRESYNC only). */
  trackerFlags (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:flags` }
  /** Hash: folderId -> JSON DeletionNote. */
  trackerNotes (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:notes` }
  /** Hash: objectId -> JSON CorrelationNote. */
  trackerCorrelations (boxId: string): string { return `${this.prefix}:trk:${this.box(boxId)}:corr` }

  /** Hash: one subscription (spec JSON and its moving fields). */
  subscription (boxId: string, id: string): string { return `${this.prefix}:sub:${this.box(boxId)}:${id}` }
  /** List: the subscription's outbox of notification lists. */
  outbox (boxId: string, id: string): string { return `${this.prefix}:sub:${this.box(boxId)}:${id}:out` }
  /** Set: the ids of the box's subscriptions. */
  subscriptionIds (boxId: string): string { return `${this.prefix}:subs:${this.box(boxId)}:ids` }
  /** Hash: clientCorrelator -> subscription id. */
  correlators (boxId: string): string { return `${this.prefix}:subs:${this.box(boxId)}:corr` }
  /** Sorted set (gateway-wide): every live subscription by the end of its duration. */
  subscriptionExpiry (): string { return `${this.prefix}:subs:expiry` }

  /** Hash: one notification channel (spec JSON and its moving fields). */
  channel (userId: string, id: string): string { return `${this.prefix}:nc:${this.box(userId)}:${id}` }
  /** List: the channel's queued notifications. */
  channelQueue (userId: string, id: string): string { return `${this.prefix}:nc:${this.box(userId)}:${id}:q` }
  /** Set: the ids of the user's channels. */
  channelIds (userId: string): string { return `${this.prefix}:nc:${this.box(userId)}:ids` }
  /** Hash: clientCorrelator -> channel id. */
  channelCorrelators (userId: string): string { return `${this.prefix}:nc:${this.box(userId)}:corr` }
  /** Sorted set (gateway-wide): every channel by the end of its lifetime. */
  channelExpiry (): string { return `${this.prefix}:nc:expiry` }

  /** A lease or lock (owner as value, expiry as TTL); names may hold any character. */
  lease (name: string): string { return `${this.prefix}:lease:${Buffer.from(name, 'utf8').toString('hex')}` }
  /** Pub/sub channel of the gateway bus. */
  bus (): string { return `${this.prefix}:bus` }
}
