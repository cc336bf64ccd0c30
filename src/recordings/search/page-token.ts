import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import type { SearchPosition } from '../recording-query';

/**
 * Opaque, tamper-proof page tokens: the position in result order plus a digest of the search it belongs
 * to, HMAC-SHA256 signed. A token altered, forged or replayed with other filters is refused (400).
 */
export class PageTokenSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('page token key must be at least 32 bytes');
  }

  sign(position: SearchPosition, searchDigest: string): string {
    const payload = Buffer.from(JSON.stringify({ v: 1, d: searchDigest, s: position.startMs, i: position.id })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The position a token carries; throws InvalidParameterException unless it is genuine and for this search. */
  verify(token: string, searchDigest: string): SearchPosition {
    const [payload, mac, ...rest] = token.split('.');
    if (!payload || !mac || rest.length > 0 || !this.macMatches(payload, mac)) {
      throw new InvalidParameterException('pageToken', 'is not a token this service issued');
    }
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { v: number; d: string; s: number; i: string };
    if (data.v !== 1 || typeof data.s !== 'number' || typeof data.i !== 'string') {
      throw new InvalidParameterException('pageToken', 'is not a token this service issued');
    }
    if (data.d !== searchDigest) throw new InvalidParameterException('pageToken', 'belongs to a search with other filters');
    return { startMs: data.s, id: data.i };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private macMatches(payload: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** A short digest naming a search (contact center, region, filters): tokens are bound to it. */
export function searchDigest(parts: Record<string, unknown>): string {
  const text = JSON.stringify(Object.keys(parts).sort().map((k) => [k, parts[k]]));
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
