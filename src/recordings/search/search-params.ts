import { InvalidParameterException } from '../../common/errors/rws.exception';
import { compileNumberPattern } from '../number-pattern';
import type { RecordingFilters } from '../recording-query';
import { parseRwsTimestamp } from '../../common/rws-time';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

const TEXT_FILTERS = ['agentId', 'userName', 'callType', 'partition', 'label', 'callUuid', 'connId'] as const;
const FILTER_NAMES = ['callerPhoneNumber', 'dialedPhoneNumber', 'startTime', 'endTime', ...TEXT_FILTERS];

/** A search request's parameters, checked. */
export interface SearchParams {
  filters: RecordingFilters;
  /** The filters as given (normalised), naming the search for its page tokens. */
  canonical: Record<string, string | number>;
  limit: number;
  pageToken?: string;
}

/** Parses the query string of `GET /api/v2/recordings` (api.md §2); at least one filter is required. */
export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const text = (name: string, max = 256): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new InvalidParameterException(name, 'must be given once');
    if (value === '') throw new InvalidParameterException(name, 'must not be empty');
    if (value.length > max) throw new InvalidParameterException(name, `must be at most ${max} characters`);
    return value;
  };
  const filters: RecordingFilters = {};
  const canonical: Record<string, string | number> = {};
  for (const [name, field] of [
    ['callerPhoneNumber', 'caller'],
    ['dialedPhoneNumber', 'dialed'],
  ] as const) {
    const raw = text(name, 64);
    if (raw === undefined) continue;
    const pattern = compileNumberPattern(raw);
    if (!pattern) throw new InvalidParameterException(name, 'must contain letters, digits or * (other characters are ignored)');
    filters[field] = pattern;
    canonical[name] = pattern.text;
  }
  for (const [name, field] of [
    ['startTime', 'fromMs'],
    ['endTime', 'toMs'],
  ] as const) {
    const raw = text(name, 64);
    if (raw === undefined) continue;
    const ms = parseRwsTimestamp(raw);
    if (ms === undefined) throw new InvalidParameterException(name, 'must be an ISO-8601 timestamp such as 2014-12-16T18:42:41.000+0000');
    filters[field] = ms;
    canonical[name] = ms;
  }
  if (filters.fromMs !== undefined && filters.toMs !== undefined && filters.toMs < filters.fromMs) {
    throw new InvalidParameterException('endTime', 'is before startTime');
  }
  for (const name of TEXT_FILTERS) {
    const value = text(name);
    if (value === undefined) continue;
    filters[name] = value;
    canonical[name] = value;
  }
  if (Object.keys(canonical).length === 0) {
    throw new InvalidParameterException('filter', `at least one search filter is required (${FILTER_NAMES.join(', ')})`);
  }
  const limitText = text('limit', 10);
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== undefined) {
    limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new InvalidParameterException('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { filters, canonical, limit, pageToken: text('pageToken', 2048) };
}
