import type { types } from 'cassandra-driver';
import type { RecordingSearch, SearchPosition } from '../../recordings/recording-query';
import { AccessPath, dayOf, dayStartMs, UNBUCKETED_KINDS } from '../../recordings/search/lookup-keys';
import type { IndexCandidate } from '../../recordings/search/page-collector';
import type { CassandraConnection } from './cassandra-connection';
import { dayWaves } from './cassandra-day-waves';
import { decodeEntryFacts } from './cassandra-entry-facts';
import { walkNumberRanges } from './cassandra-number-ranges';
import { UNBUCKETED_DAY } from './cassandra-recording-entries';

/** Rows read at first per day bucket (at most): the rest of a bucket is read when the walk gets there. */
const FIRST_FETCH_MAX = 500;
const FETCH_SIZE = 1000;
/** Days of a first wave: a dense path (a day bucket, a call type) fills its page from one day. */
const FIRST_WAVE_DAYS = 2;
/** Days of a first wave of a selective path (one agent, user, label or exact number holds a few rows a day). */
const FIRST_SELECTIVE_WAVE_DAYS = 8;
const SELECTIVE_LOOKUPS: ReadonlySet<string> = new Set(['agent', 'user', 'label']);
const LAST_DAY = 2_932_896; // 9999-12-31
/** Windows of up to this many days are walked without reading recording_days first. */
const SHORT_WINDOW_DAYS = 8;

/**
 * A table whose day partitions are clustered by (start_time DESC, id DESC) once `restriction` applies:
 * read in result order, from a bound.
 */
interface OrderedSource {
  table: 'recording_lookup' | 'recording_numbers';
  /** Equalities of the partition key before `day`, and of clustering columns before start_time. */
  restriction: string;
  params: (day: unknown) => unknown[];
}

/**
 * Walks one access path of the Cassandra tables in result order, starting after the search's position.
 *
 * Day-bucketed paths hold a recording in every UTC day it touches; walking days newest first, a bucket
 * yields the rows that *started* that day (so each recording comes once and in order), and the oldest
 * bucket of a time window also yields the rows that started earlier and ran into the window.
 */
export async function* walkAccessPath(cql: CassandraConnection, path: AccessPath, search: RecordingSearch): AsyncGenerator<IndexCandidate> {
  const { ccid, region } = search;
  const bound = upperBound(search);
  const lookupOf = (kind: string, value: string): OrderedSource => ({
    table: 'recording_lookup',
    restriction: 'ccid = ? AND region = ? AND kind = ? AND value = ? AND day @',
    params: (day) => [ccid, region, kind, value, day],
  });
  if (path.kind === 'lookup' && UNBUCKETED_KINDS.has(path.lookup)) {
    yield* restOfBucket(cql, lookupOf(path.lookup, path.value), region, UNBUCKETED_DAY, bound, () => 'yield');
    return;
  }
  const lowestDay = search.filters.fromMs === undefined ? undefined : dayOf(search.filters.fromMs);
  const days = await daysToWalk(cql, search, lowestDay);
  const classify = (day: number) => (startMs: number) => (startMs >= dayStartMs(day) || day === lowestDay ? 'yield' : 'stop');
  if (path.kind === 'numberRange') {
    yield* walkNumberRanges(cql, search, path, days, classify);
    return;
  }
  const source: OrderedSource =
    path.kind === 'numberExact'
      ? { table: 'recording_numbers', restriction: 'ccid = ? AND region = ? AND field = ? AND day @ AND number = ?', params: (day) => [ccid, region, path.field, day, path.number] }
      : path.kind === 'lookup'
        ? lookupOf(path.lookup, path.value)
        : lookupOf('all', '');
  const firstFetch = Math.min(FIRST_FETCH_MAX, search.limit + 1);
  const selective = path.kind === 'numberExact' || (path.kind === 'lookup' && SELECTIVE_LOOKUPS.has(path.lookup));
  const waves = dayWaves(days, selective ? FIRST_SELECTIVE_WAVE_DAYS : FIRST_WAVE_DAYS, search.limit + 1, (wave) => readFirstPages(cql, source, wave, bound, firstFetch));
  for await (const [day, rows] of waves) {
    const belongs = classify(day);
    let last: SearchPosition | undefined;
    let stopped = false;
    for (const row of rows) {
      const candidate = toCandidate(row, region);
      stopped = belongs(candidate.startMs) === 'stop';
      if (stopped) break;
      yield candidate;
      last = candidate;
    }
    // A full first page may not be the whole bucket: the rest follows the last row read.
    if (!stopped && rows.length === firstFetch && last) yield* restOfBucket(cql, source, region, day, last, belongs);
  }
}

/** The first `perDay` rows of each of these days' buckets, after the bound (one request). */
async function readFirstPages(cql: CassandraConnection, source: OrderedSource, days: number[], bound: SearchPosition | undefined, perDay: number): Promise<Map<number, types.Row[]>> {
  const query = `SELECT day, start_time, id, facts FROM ${source.table} WHERE ${source.restriction.replace('day @', 'day IN ?')}${bound ? ' AND (start_time, id) < (?, ?)' : ''} PER PARTITION LIMIT ?`;
  const params = [...source.params(days), ...(bound ? [new Date(bound.startMs), bound.id] : []), perDay];
  const byDay = new Map<number, types.Row[]>(days.map((day) => [day, []]));
  let pageState: string | undefined;
  do {
    const result = await cql.execute(query, params, { idempotent: true, fetchSize: days.length * perDay, pageState });
    for (const row of result.rows) byDay.get(row.day as number)?.push(row);
    pageState = result.pageState ?? undefined;
  } while (pageState);
  return byDay;
}

/** A day's bucket in result order, strictly after `after`, page by page, while `belongs` says so. */
async function* restOfBucket(
  cql: CassandraConnection,
  source: OrderedSource,
  region: string,
  day: number,
  after: SearchPosition | undefined,
  belongs: (startMs: number) => 'yield' | 'stop',
): AsyncGenerator<IndexCandidate> {
  const query = `SELECT start_time, id, facts FROM ${source.table} WHERE ${source.restriction.replace('day @', 'day = ?')}${after ? ' AND (start_time, id) < (?, ?)' : ''}`;
  const params = [...source.params(day), ...(after ? [new Date(after.startMs), after.id] : [])];
  let pageState: string | undefined;
  do {
    const result = await cql.execute(query, params, { idempotent: true, fetchSize: FETCH_SIZE, pageState });
    for (const row of result.rows) {
      const candidate = toCandidate(row, region);
      if (belongs(candidate.startMs) === 'stop') return;
      yield candidate;
    }
    pageState = result.pageState ?? undefined;
  } while (pageState);
}

/**
 * Days holding recordings, newest first, within the window and not newer than the position. A window of a
 * few days is walked day by day without asking: an empty bucket costs a read, as asking would.
 */
async function daysToWalk(cql: CassandraConnection, search: RecordingSearch, lowestDay: number | undefined): Promise<number[]> {
  const low = lowestDay ?? 0;
  let high = search.filters.toMs === undefined ? LAST_DAY : dayOf(search.filters.toMs);
  if (search.after) high = Math.min(high, Math.max(low, dayOf(search.after.startMs)));
  if (high < low) return [];
  if (high - low < SHORT_WINDOW_DAYS) return Array.from({ length: high - low + 1 }, (_, i) => high - i);
  const result = await cql.execute('SELECT day FROM recording_days WHERE ccid = ? AND region = ? AND day >= ? AND day <= ?', [search.ccid, search.region, low, high], {
    idempotent: true,
    fetchSize: 100_000,
  });
  return result.rows.map((r) => r.day as number);
}

/** Rows strictly after the position, or not after the window's end: a tuple bound on (start_time, id). */
function upperBound(search: RecordingSearch): SearchPosition | undefined {
  if (search.after) return search.after;
  // (start, id) < (toMs + 1, '') ⇔ start ≤ toMs, since no id sorts below ''.
  return search.filters.toMs === undefined ? undefined : { startMs: search.filters.toMs + 1, id: '' };
}

function toCandidate(row: types.Row, region: string): IndexCandidate {
  const startMs = (row.start_time as Date).getTime();
  return { startMs, id: row.id as string, facts: decodeEntryFacts(row.facts as string, region, startMs) };
}
