import type { CassandraConnection } from './cassandra-connection';

/**
 * Keys per `IN` read: one request instead of one per key, yet small enough that a page's reads run side by
 * side (measured on a page of 100 keys: one `IN` of 100 takes about twice as long as four of 25 at once).
 */
export const IN_CHUNK = 25;

/** `items` in runs of at most `size`, in order. */
export function inChunks<T>(items: T[], size = IN_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * The `doc` column of the rows of `table` (keyed by `ccid`, `id`) with these ids, by id (missing ones
 * absent): IN_CHUNK ids per request, the requests side by side.
 */
export async function readDocs(cql: CassandraConnection, table: string, ccid: string, ids: string[]): Promise<Map<string, string>> {
  const results = await Promise.all(
    inChunks([...new Set(ids)]).map((chunk) =>
      cql.execute(`SELECT id, doc FROM ${table} WHERE ccid = ? AND id IN ?`, [ccid, chunk], { idempotent: true, fetchSize: chunk.length }),
    ),
  );
  return new Map(results.flatMap((r) => r.rows.map((row) => [String(row.id), row.doc as string] as const)));
}
