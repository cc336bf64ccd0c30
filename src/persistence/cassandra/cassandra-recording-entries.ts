import { RecordingFacts } from '../../recordings/recording-facts';
import { reverseNumber } from '../../recordings/number-pattern';
import { daysTouched, lookupKeysOf, UNBUCKETED_KINDS } from '../../recordings/search/lookup-keys';
import type { CqlStatement } from './cassandra-connection';
import { encodeEntryFacts } from './cassandra-entry-facts';

/** Day of the lookup partitions that are not split by day (CallUUID, ConnID). */
export const UNBUCKETED_DAY = -1;

/** One lookup entry of a recording: a row of recording_lookup or recording_numbers. */
export interface LookupEntry {
  table: 'lookup' | 'numbers' | 'days';
  /** lookup: kind; numbers: field. */
  kind: string;
  value: string;
  day: number;
}

/** Every lookup entry a recording with these facts has. */
export function entriesOf(facts: RecordingFacts): LookupEntry[] {
  const entries: LookupEntry[] = [];
  const days = daysTouched(facts);
  for (const day of days) {
    entries.push({ table: 'days', kind: '', value: '', day });
    entries.push({ table: 'lookup', kind: 'all', value: '', day });
    entries.push({ table: 'numbers', kind: 'caller', value: facts.caller, day });
    entries.push({ table: 'numbers', kind: 'dialed', value: facts.dialed, day });
    entries.push({ table: 'numbers', kind: 'callerRev', value: reverseNumber(facts.caller), day });
    entries.push({ table: 'numbers', kind: 'dialedRev', value: reverseNumber(facts.dialed), day });
  }
  for (const key of lookupKeysOf(facts)) {
    if (UNBUCKETED_KINDS.has(key.kind)) entries.push({ table: 'lookup', kind: key.kind, value: key.value, day: UNBUCKETED_DAY });
    else for (const day of days) entries.push({ table: 'lookup', kind: key.kind, value: key.value, day });
  }
  return entries;
}

function entryKey(e: LookupEntry): string {
  return `${e.table}\u0000${e.kind}\u0000${e.value}\u0000${e.day}`;
}

/** A statement of entryStatements; `listedDay` names the recording_days row it writes (`ccid/region/day`). */
export interface EntryStatement extends CqlStatement {
  listedDay?: string;
}

/**
 * The statements that bring a recording's lookup entries from `before` (undefined: none) to `after`
 * (undefined: deleted): entries that no longer apply are deleted, every current entry is (re)written with
 * the current facts. Rows are keyed by start time too, so a start that moved also replaces its rows.
 */
export function entryStatements(ccid: string, id: string, before: RecordingFacts | undefined, after: RecordingFacts | undefined): EntryStatement[] {
  const statements: EntryStatement[] = [];
  const current = new Map((after ? entriesOf(after) : []).map((e) => [entryKey(e), e]));
  if (before) {
    const moved = after !== undefined && (after.startMs !== before.startMs || after.region !== before.region);
    for (const e of entriesOf(before)) {
      if (e.table === 'days') continue; // a day stays listed; an empty day costs one empty read
      if (!moved && current.has(entryKey(e))) continue;
      statements.push(deleteStatement(ccid, id, before, e));
    }
  }
  if (after) {
    const facts = encodeEntryFacts(after);
    for (const e of current.values()) statements.push(insertStatement(ccid, id, after, e, facts));
  }
  return statements;
}

function insertStatement(ccid: string, id: string, facts: RecordingFacts, e: LookupEntry, factsJson: string): EntryStatement {
  const start = new Date(facts.startMs);
  switch (e.table) {
    case 'days':
      return { query: 'INSERT INTO recording_days (ccid, region, day) VALUES (?, ?, ?)', params: [ccid, facts.region, e.day], listedDay: `${ccid}/${facts.region}/${e.day}` };
    case 'lookup':
      return {
        query: 'INSERT INTO recording_lookup (ccid, region, kind, value, day, start_time, id, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        params: [ccid, facts.region, e.kind, e.value, e.day, start, id, factsJson],
      };
    case 'numbers':
      return {
        query: 'INSERT INTO recording_numbers (ccid, region, field, day, number, start_time, id, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        params: [ccid, facts.region, e.kind, e.day, e.value, start, id, factsJson],
      };
  }
}

function deleteStatement(ccid: string, id: string, facts: RecordingFacts, e: LookupEntry): CqlStatement {
  const start = new Date(facts.startMs);
  if (e.table === 'numbers') {
    return {
      query: 'DELETE FROM recording_numbers WHERE ccid = ? AND region = ? AND field = ? AND day = ? AND number = ? AND start_time = ? AND id = ?',
      params: [ccid, facts.region, e.kind, e.day, e.value, start, id],
    };
  }
  return {
    query: 'DELETE FROM recording_lookup WHERE ccid = ? AND region = ? AND kind = ? AND value = ? AND day = ? AND start_time = ? AND id = ?',
    params: [ccid, facts.region, e.kind, e.value, e.day, start, id],
  };
}

/**
 * Cassandra's defaults warn (in its log, on every batch) above 5 KiB per batch and above 10 partitions per
 * unlogged batch: batches stay under both. Entries are one partition each (at most), so counting statements
 * bounds the partitions.
 */
export const BATCH_LIMITS = { maxBytes: 4096, maxStatements: 10 };

/** Splits statements into batches within BATCH_LIMITS (a statement bigger than maxBytes goes alone). */
export function chunkStatements<S extends CqlStatement>(statements: S[], limits = BATCH_LIMITS): S[][] {
  const chunks: S[][] = [];
  let chunk: S[] = [];
  let size = 0;
  for (const s of statements) {
    const bytes = s.params.reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : 8), 0);
    if (chunk.length > 0 && (size + bytes > limits.maxBytes || chunk.length >= limits.maxStatements)) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(s);
    size += bytes;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}
