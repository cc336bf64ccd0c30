import { compareResultOrder, isAfter, RecordingSearch } from '../../recordings/recording-query';
import type { NumberField } from '../../recordings/search/lookup-keys';
import type { IndexCandidate } from '../../recordings/search/page-collector';
import type { CassandraConnection } from './cassandra-connection';
import { dayWaves } from './cassandra-day-waves';
import { decodeEntryFacts } from './cassandra-entry-facts';

const FETCH_SIZE = 1000;
/** Days of a first wave: a common prefix fills a page from one day. */
const FIRST_WAVE_DAYS = 2;

/**
 * Walks a number prefix (or reversed-number prefix) in result order over days (newest first). Within a
 * day the range is ordered by number, not by time, so each day's range is read whole and ordered in
 * memory; a day bounds how much that can be. `classify` says, per day, whether a row still belongs to
 * that day's part of the walk.
 */
export async function* walkNumberRanges(
  cql: CassandraConnection,
  search: RecordingSearch,
  range: { field: NumberField; prefix: string },
  days: number[],
  classify: (day: number) => (startMs: number) => 'yield' | 'stop',
): AsyncGenerator<IndexCandidate> {
  for await (const [day, candidates] of dayWaves(days, FIRST_WAVE_DAYS, search.limit + 1, (wave) => readRanges(cql, search, range, wave))) {
    const belongs = classify(day);
    for (const candidate of candidates) {
      if (!isAfter(candidate, search.after) || (search.filters.toMs !== undefined && candidate.startMs > search.filters.toMs)) continue;
      if (belongs(candidate.startMs) === 'stop') break;
      yield candidate;
    }
  }
}

/** The whole ranges of these days (one request, paged), each in result order. */
async function readRanges(cql: CassandraConnection, search: RecordingSearch, range: { field: NumberField; prefix: string }, days: number[]): Promise<Map<number, IndexCandidate[]>> {
  // Normalised numbers are ASCII letters and digits; '{' sorts right after 'z'.
  const query = 'SELECT day, start_time, id, facts FROM recording_numbers WHERE ccid = ? AND region = ? AND field = ? AND day IN ? AND number >= ? AND number < ?';
  const params = [search.ccid, search.region, range.field, days, range.prefix, `${range.prefix}{`];
  const byDay = new Map<number, IndexCandidate[]>(days.map((day) => [day, []]));
  let pageState: string | undefined;
  do {
    const result = await cql.execute(query, params, { idempotent: true, fetchSize: FETCH_SIZE, pageState });
    for (const row of result.rows) {
      const startMs = (row.start_time as Date).getTime();
      byDay.get(row.day as number)?.push({ startMs, id: row.id as string, facts: decodeEntryFacts(row.facts as string, search.region, startMs) });
    }
    pageState = result.pageState ?? undefined;
  } while (pageState);
  for (const candidates of byDay.values()) candidates.sort(compareResultOrder);
  return byDay;
}
