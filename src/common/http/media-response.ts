import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode } from '../errors/error-code';
import { RwsException } from '../errors/rws.exception';
import { ByteRange, contentRange, parseRangeHeader, rangeLength, unsatisfiedRange } from './byte-range';

/** A representation that can be served whole or by one byte range. */
export interface MediaSource {
  size: number;
  contentType: string;
  /** Strong validator (e.g. the SHA-256 of the bytes), for If-Range and caches. */
  etag?: string;
  fileName?: string;
  /**
   * Resolves once the bytes may be served (e.g. the play is audited, the file key unwrapped), rejects with
   * the reason they may not. `open` waits for the same; answers that open nothing (HEAD, 416) call this.
   */
  ready?(): Promise<void>;
  /** Opens the bytes, all of them or one inclusive range. */
  open(range?: ByteRange): Promise<Readable>;
}

/**
 * Answers a media request: `Accept-Ranges`, a single Range → 206, unsatisfiable → 416, several ranges →
 * 200 with the whole body, HEAD without a body. When the client goes away the source is destroyed, so
 * the upstream read (storage, decryption) stops too.
 */
export async function sendMedia(req: Request, res: Response, source: MediaSource): Promise<void> {
  const ifRange = req.header('If-Range');
  const rangeHeader = ifRange !== undefined && source.etag !== undefined && ifRange !== `"${source.etag}"` ? undefined : req.headers.range;
  const decision = parseRangeHeader(rangeHeader, source.size);
  res.setHeader('Accept-Ranges', 'bytes');
  if (source.etag) res.setHeader('ETag', `"${source.etag}"`);
  if (decision.kind === 'unsatisfiable') {
    await source.ready?.();
    throw new RwsException(ErrorCode.RangeNotSatisfiable, `Range not satisfiable for ${source.size} bytes.`, {
      headers: { 'Content-Range': unsatisfiedRange(source.size) },
    });
  }
  const range = decision.kind === 'single' ? decision.range : undefined;
  // Open first: a source that fails before its first byte (missing object, a key that does not verify)
  // still gets a clean error answer instead of half-sent 206 headers.
  let body: Readable | undefined;
  if (req.method === 'HEAD') await source.ready?.();
  else body = await source.open(range);
  res.status(range ? 206 : 200);
  res.setHeader('Content-Type', source.contentType);
  res.setHeader('Content-Length', String(range ? rangeLength(range) : source.size));
  if (range) res.setHeader('Content-Range', contentRange(range, source.size));
  if (source.fileName) res.setHeader('Content-Disposition', `attachment; filename="${source.fileName.replace(/["\\\r\n]/g, '_')}"`);
  if (!body) {
    res.end();
    return;
  }
  try {
    await pipeline(body, res);
  } catch (err) {
    // A client that hung up is not an error of ours; anything else after the headers can only cut the connection.
    if (!res.writableEnded && !req.destroyed) res.destroy(err as Error);
  }
}
