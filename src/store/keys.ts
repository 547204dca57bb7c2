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
}
