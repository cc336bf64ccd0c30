import type { types } from 'cassandra-driver';
import { compareResultOrder, isAfter, RecordingSearch, SearchPosition } from '../../recordings/recording-query';
import { AccessPath, dayOf, dayStartMs, UNBUCKETED_KINDS } from '../../recordings/search/lookup-keys';
import type { IndexCandidate } from '../../recordings/search/page-collector';
import type { CassandraConnection } from './cassandra-connection';
import { decodeEntryFacts } from './cassandra-entry-facts';
import { UNBUCKETED_DAY } from './cassandra-recording-entries';

const FIRST_FETCH_MAX = 500;
const FETCH_SIZE = 1000;
/** Day buckets read ahead in parallel, at first and at most (see readAhead); a page is at most FIRST_FETCH_MAX rows. */
const FIRST_READ_AHEAD = 2;
const MAX_READ_AHEAD = 16;
const MAX_RANGE_READ_AHEAD = 32;
const LAST_DAY = 2_932_896; // 9999-12-31
/** Windows of up to this many days are walked without reading recording_days first. */
const SHORT_WINDOW_DAYS = 8;

interface BucketPage {
  rows: types.Row[];
  pageState?: string;
}

/** A partition whose rows are clustered by (start_time DESC, id DESC): read in result order, from a bound. */
interface OrderedSource {
  select: string;
  key: (day: number) => unknown[];
}

/**
 * Walks one access path of the Cassandra tables in result order, starting after the search's position.
 *
 * Day-bucketed paths hold a recording in every UTC day it touches; walking days newest first, a bucket
 * yields the rows that *started* that day (so each recording comes once and in order), and the oldest
 * bucket of a time window also yields the rows that started earlier and ran into the window.
 */
export async function* walkAccessPath(cql: CassandraConnection, path: AccessPath, search: RecordingSearch): AsyncGenerator<IndexCandidate> {
  const base = [search.ccid, search.region];
  const bound = upperBound(search);
  const lookup = 'SELECT start_time, id, facts FROM recording_lookup WHERE ccid = ? AND region = ? AND kind = ? AND value = ? AND day = ?';
  if (path.kind === 'lookup' && UNBUCKETED_KINDS.has(path.lookup)) {
    const source: OrderedSource = { select: lookup, key: () => [...base, path.lookup, path.value, UNBUCKETED_DAY] };
    yield* yieldBucket(cql, source, UNBUCKETED_DAY, bound, await readPage(cql, source, UNBUCKETED_DAY, bound, FETCH_SIZE), () => 'yield');
    return;
  }
  const lowestDay = search.filters.fromMs === undefined ? undefined : dayOf(search.filters.fromMs);
  const days = await daysToWalk(cql, search, lowestDay);
  const classify = (day: number) => (startMs: number) => (startMs >= dayStartMs(day) || day === lowestDay ? 'yield' : 'stop');
  if (path.kind === 'numberRange') {
    // Whole ranges are held in memory: how many are read ahead follows how big they turn out to be.
    const ranges = readAhead(days, (day) => readNumberRange(cql, [...base, path.field, day], path.prefix), (range) => range.length, search.limit + 1, {
      max: MAX_RANGE_READ_AHEAD,
      doubling: true,
    });
    for (let i = 0; i < days.length; i++) {
      for (const candidate of await ranges.take(i)) {
        if (!isAfter(candidate, search.after) || (search.filters.toMs !== undefined && candidate.startMs > search.filters.toMs)) continue;
        if (classify(days[i])(candidate.startMs) === 'stop') break;
        yield candidate;
      }
    }
    return;
  }
  const source: OrderedSource =
    path.kind === 'numberExact'
      ? {
          select: 'SELECT start_time, id, facts FROM recording_numbers WHERE ccid = ? AND region = ? AND field = ? AND day = ? AND number = ?',
          key: (day) => [...base, path.field, day, path.number],
        }
      : { select: lookup, key: (day) => [...base, path.kind === 'lookup' ? path.lookup : 'all', path.kind === 'lookup' ? path.value : '', day] };
  const firstFetch = Math.min(FIRST_FETCH_MAX, search.limit + 1);
  const firstPages = readAhead(days, (day) => readPage(cql, source, day, bound, firstFetch), (page) => page.rows.length, search.limit + 1, {
    max: MAX_READ_AHEAD,
    doubling: false,
  });
  for (let i = 0; i < days.length; i++) {
    yield* yieldBucket(cql, source, days[i], bound, await firstPages.take(i), classify(days[i]));
  }
}

/** How far readAhead may go: at most `max` buckets; `doubling` also caps each step at twice the last one. */
interface ReadAheadLimits {
  max: number;
  doubling: boolean;
}

/**
 * Reads day buckets ahead in parallel, as many as the page is likely to need: two at first (a dense path
 * fills its page from one bucket), then enough buckets, at the density seen so far, to hold a page (a
 * sparse path, e.g. one agent or a rare number prefix, reads the rest of its days at once). `rowsOf`
 * counts what a read brought. Reads of unbounded size (whole number ranges) grow by doubling at most, so
 * that empty first days cannot start many big reads at once.
 */
function readAhead<T>(days: number[], read: (day: number) => Promise<T>, rowsOf: (result: T) => number, wanted: number, limits: ReadAheadLimits): { take(i: number): Promise<T> } {
  const pending = new Map<number, Promise<T>>();
  let ahead = FIRST_READ_AHEAD;
  let bucketsSeen = 0;
  let rowsSeen = 0;
  return {
    async take(i: number): Promise<T> {
      for (let j = i; j < Math.min(days.length, i + ahead); j++) {
        if (pending.has(j)) continue;
        const result = read(days[j]);
        // A read ahead may be abandoned when the page fills first: its failure must not go unhandled.
        result.catch(() => undefined);
        pending.set(j, result);
      }
      const result = await pending.get(i)!;
      pending.delete(i);
      bucketsSeen++;
      rowsSeen += rowsOf(result);
      const perBucket = Math.max(1, rowsSeen / bucketsSeen);
      const needed = Math.max(FIRST_READ_AHEAD, Math.ceil(wanted / perBucket));
      ahead = Math.min(limits.max, limits.doubling ? ahead * 2 : Infinity, needed);
      return result;
    },
  };
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

async function readPage(cql: CassandraConnection, source: OrderedSource, day: number, bound: SearchPosition | undefined, fetchSize: number, pageState?: string): Promise<BucketPage> {
  const key = source.key(day);
  const result = bound
    ? await cql.execute(`${source.select} AND (start_time, id) < (?, ?)`, [...key, new Date(bound.startMs), bound.id], { idempotent: true, fetchSize, pageState })
    : await cql.execute(source.select, key, { idempotent: true, fetchSize, pageState });
  return { rows: result.rows, pageState: result.pageState ?? undefined };
}

async function* yieldBucket(
  cql: CassandraConnection,
  source: OrderedSource,
  day: number,
  bound: SearchPosition | undefined,
  first: BucketPage,
  classify: (startMs: number) => 'yield' | 'stop',
): AsyncGenerator<IndexCandidate> {
  const region = source.key(day)[1] as string;
  let page: BucketPage | undefined = first;
  while (page) {
    for (const row of page.rows) {
      const candidate = toCandidate(row, region);
      if (classify(candidate.startMs) === 'stop') return;
      yield candidate;
    }
    page = page.pageState ? await readPage(cql, source, day, bound, FETCH_SIZE, page.pageState) : undefined;
  }
}

/**
 * A number prefix (or reversed-number prefix) within one day: the range is ordered by number, not by time,
 * so it is read whole and ordered in memory (result order). A day bounds how much that can be.
 */
async function readNumberRange(cql: CassandraConnection, key: unknown[], prefix: string): Promise<IndexCandidate[]> {
  // Normalised numbers are ASCII letters and digits; '{' sorts right after 'z'.
  const query = 'SELECT start_time, id, facts FROM recording_numbers WHERE ccid = ? AND region = ? AND field = ? AND day = ? AND number >= ? AND number < ?';
  const rows: IndexCandidate[] = [];
  let pageState: string | undefined;
  do {
    const result = await cql.execute(query, [...key, prefix, `${prefix}{`], { idempotent: true, fetchSize: FETCH_SIZE, pageState });
    for (const row of result.rows) rows.push(toCandidate(row, key[1] as string));
    pageState = result.pageState ?? undefined;
  } while (pageState);
  return rows.sort(compareResultOrder);
}

function toCandidate(row: types.Row, region: string): IndexCandidate {
  const startMs = (row.start_time as Date).getTime();
  return { startMs, id: row.id as string, facts: decodeEntryFacts(row.facts as string, region, startMs) };
}
