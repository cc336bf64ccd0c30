import { EmbeddedDatabase } from './embedded-database';

/** Sweep expired rows after this many writes (the embedded store has no TTL of its own). */
const SWEEP_EVERY_WRITES = 500;

/** A collection of the embedded database whose rows expire: expired rows read as absent and are swept. */
export class ExpiringRows {
  private writes = 0;

  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly collection: string,
  ) {}

  get(key: string): Record<string, unknown> | undefined {
    const row = this.db.get(this.collection, key);
    return row && Date.parse(row.expiresAt as string) > Date.now() ? row : undefined;
  }

  values(): Record<string, unknown>[] {
    const now = Date.now();
    return [...this.db.values(this.collection)].filter((row) => Date.parse(row.expiresAt as string) > now);
  }

  /** Stores the row (visible to reads at once, durable when the promise resolves). */
  put(key: string, row: Record<string, unknown>, expiresAt: string): Promise<void> {
    const written = this.db.put(this.collection, key, { ...row, expiresAt });
    if (++this.writes % SWEEP_EVERY_WRITES === 0) void this.sweep();
    return written;
  }

  /** Deletes expired rows; failures only delay the next sweep. */
  async sweep(): Promise<void> {
    const now = Date.now();
    const expired: string[] = [];
    for (const [key, row] of this.db.entries(this.collection)) {
      if (Date.parse(row.expiresAt as string) <= now) expired.push(key);
    }
    await Promise.all(expired.map((key) => this.db.delete(this.collection, key))).catch(() => undefined);
  }
}
