import type { ClientRequest, IncomingMessage } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { ByteCounter } from '../../common/stream/byte-counter';
import { StorageAccessDeniedException, StorageFailureException, StorageLengthMismatchException, StorageObjectExistsException } from '../storage.exception';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';

/** How a single PUT ended: stored, or refused before its body was touched (so it may be sent again). */
export type PutOutcome = PutResult | { kind: 'parent-missing' } | { kind: 'stale-socket' };

/** A stored upload. */
export interface PutResult {
  kind: 'stored';
  bytesSent: number;
}

/** The caller's body stream failed: its own error, passed through unchanged. */
export class BodyStreamError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** A failed PUT, and whether any of its body had started to flow (only then may bytes have reached the server). */
export class PutFailure extends Error {
  constructor(
    readonly error: Error,
    readonly bodyStarted: boolean,
  ) {
    super(error.message);
  }
}

/** What putStream needs from the client. */
export interface PutContext {
  request(headers: Record<string, string>): ClientRequest;
  continueTimeoutMs: number;
  path: string;
}

/**
 * One `PUT` with `If-None-Match: *` and `Expect: 100-continue`: the body flows only after the server has
 * checked the preconditions (Apache answers 412 for an existing file, 409 for a missing parent and 401 before
 * reading any byte), so a refusal costs no upload and leaves the body unread for a retry. Servers that never
 * send 100 get the body after `continueTimeoutMs`, as curl does. Success needs both: the whole body sent
 * (length enforced by a ByteCounter) and a 2xx answer.
 */
export function putStream(ctx: PutContext, body: Readable, options: { contentLength?: number; contentType?: string }): Promise<PutOutcome> {
  const { contentLength } = options;
  const headers: Record<string, string> = { 'If-None-Match': '*', 'Content-Type': options.contentType ?? 'application/octet-stream' };
  if (contentLength !== undefined) headers['Content-Length'] = String(contentLength);
  // With nothing to send there is nothing to save by waiting (and Apache sends no 100 for an empty body).
  const expectContinue = contentLength !== 0;
  if (expectContinue) headers.Expect = '100-continue';

  return new Promise<PutOutcome>((resolve, reject) => {
    const req = ctx.request(headers);
    const counter = new ByteCounter(contentLength, (expected, received) => new StorageLengthMismatchException(expected, received));
    let bodyState: 'waiting' | 'sending' | 'sent' = 'waiting';
    let answer: { status: number } | undefined;
    let settled = false;
    let sourceError: Error | undefined;
    const onSourceError = (err: Error) => {
      sourceError ??= err;
    };

    const settle = (result: PutOutcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(continueTimer);
      body.off('error', onSourceError);
      if (result instanceof Error) {
        req.destroy();
        reject(new PutFailure(result, bodyState !== 'waiting'));
      } else {
        resolve(result);
      }
    };

    const startBody = () => {
      if (bodyState !== 'waiting' || settled) return;
      bodyState = 'sending';
      clearTimeout(continueTimer);
      body.on('error', onSourceError);
      pipeline(body, counter, req, (err) => {
        if (err) {
          if (sourceError) settle(new BodyStreamError(sourceError));
          else if (counter.errored) settle(counter.errored);
          else settle(err);
          return;
        }
        bodyState = 'sent';
        if (answer) conclude();
      });
    };

    const conclude = () => {
      const status = answer!.status;
      if (status >= 200 && status < 300) settle({ kind: 'stored', bytesSent: counter.bytes });
      else settle(refusal(status, ctx.path));
    };

    const continueTimer = expectContinue ? setTimeout(startBody, ctx.continueTimeoutMs) : undefined;
    req.on('continue', startBody);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      res.on('error', (err) => settle(err));
      res.resume();
      res.once('end', () => {
        answer = { status };
        if (bodyState === 'waiting') {
          // A final answer before the body: nothing of it was read. The socket expects a body we will not send.
          req.destroy();
          if (status === 409) settle({ kind: 'parent-missing' });
          else if (status >= 200 && status < 300) settle(new StorageFailureException(`PUT ${ctx.path} succeeded before its body was sent`));
          else settle(refusal(status, ctx.path));
        } else if (bodyState === 'sent' || status < 200 || status >= 300) {
          conclude();
        }
        // Otherwise a 2xx arrived while bytes are still leaving: wait for the pipeline's end.
      });
    });
    req.on('error', (err) => {
      if (bodyState === 'waiting' && req.reusedSocket && ['ECONNRESET', 'EPIPE'].includes((err as NodeJS.ErrnoException).code ?? '')) {
        settle({ kind: 'stale-socket' });
      } else if (bodyState === 'waiting') {
        settle(err);
      }
      // While sending, the pipeline reports the error (and tells a source failure apart).
    });
    if (!expectContinue) startBody();
    else req.flushHeaders();
  });
}

function refusal(status: number, path: string): Error {
  if (status === 412) return new StorageObjectExistsException(path);
  if (status === 401 || status === 403) return new StorageAccessDeniedException(status);
  if (status === 409) return new StorageFailureException(`PUT ${path}: the parent collection is missing or not a collection`);
  if (status === 413) return new StorageFailureException(`PUT ${path}: the server refused the size (HTTP 413; LimitRequestBody?)`);
  if (status >= 500) return new DependencyUnavailableException('WebDAV', new Error(`PUT ${path}: HTTP ${status}`));
  return new StorageFailureException(`PUT ${path} answered HTTP ${status}`);
}
