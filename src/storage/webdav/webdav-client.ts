import { Logger } from '@nestjs/common';
import http, { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { ByteRange } from '../../common/http/byte-range';
import { DependencyUnavailableException, RwsException } from '../../common/errors/rws.exception';
import {
  StorageAccessDeniedException,
  StorageFailureException,
  StorageObjectExistsException,
  StorageObjectNotFoundException,
  StorageRangeNotSatisfiableException,
} from '../storage.exception';
import { ByteRead, streamByteRead } from '../byte-read';
import { DirectRangeGet } from './direct-range-get';
import { sliceStream } from './range-slice';
import { BodyStreamError, PutFailure, putStream, PutResult } from './webdav-put';

/** A WebDAV collection and the credentials to use on it. User info in the URL counts as credentials. */
export interface WebDavEndpoint {
  /** Base collection, e.g. `http://127.0.0.1:8080/recordings/` (a missing trailing slash is added). */
  url: string;
  username?: string;
  password?: string;
}

/** Tuning of a WebDavClient. */
export interface WebDavClientOptions {
  /** Socket inactivity (connect included) after which a request fails as "WebDAV unavailable". */
  timeoutMs?: number;
  /** How long a PUT waits for `100 Continue` before sending its body anyway (servers that ignore Expect). */
  continueTimeoutMs?: number;
  /** Parallel connections to the server for reads and small requests. */
  maxSockets?: number;
  /** Parallel PUTs: on their own connections, so uploads streamed for minutes never queue playback reads. */
  maxUploadSockets?: number;
}

/** What HEAD tells about a resource. */
export interface WebDavResource {
  size: number;
  lastModified?: Date;
  etag?: string;
}

/** An open download: the body (exactly the asked range when one was asked), the full size, the range served. */
export interface WebDavDownload {
  stream: Readable;
  size: number;
  range?: ByteRange;
}

/** Options of a PUT. */
export interface WebDavPutOptions {
  /** Sent as Content-Length when known (and enforced); otherwise the body goes chunked. */
  contentLength?: number;
  contentType?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CONTINUE_TIMEOUT_MS = 1_000;
const MAX_REMEMBERED_COLLECTIONS = 10_000;

/** A transport failure plus whether it happened on a kept-alive socket the server may have closed meanwhile. */
export class WebDavTransportError extends Error {
  constructor(
    override readonly cause: Error,
    readonly reusedSocket: boolean,
  ) {
    super(cause.message);
  }
  /** A request that died on a reused socket before any answer can be sent again. */
  get stale(): boolean {
    const code = (this.cause as NodeJS.ErrnoException).code;
    return this.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
  }
}

/**
 * A small streaming WebDAV client on node:http(s): bodies flow through `pipeline` in both directions (memory
 * stays flat whatever the size), PUT never overwrites (`If-None-Match: *`), parents are created with MKCOL.
 * Paths are relative to the endpoint's collection, `/`-separated; segments are percent-encoded here.
 * One client per endpoint (the voice media of each contact center has its own URL and credentials).
 */
export class WebDavClient {
  readonly baseUrl: URL;
  private readonly authorization?: string;
  private readonly agent: http.Agent;
  private readonly uploadAgent: http.Agent;
  private readonly timeoutMs: number;
  private readonly continueTimeoutMs: number;
  /** Collections known to exist, so that steady-state writes do not MKCOL again. */
  private readonly collections = new Set<string>();
  private readonly logger = new Logger('WebDavClient');
  /** Range reads into sinks over plain http (playback); absent for https endpoints. */
  private readonly direct?: DirectRangeGet;

  constructor(endpoint: WebDavEndpoint, options: WebDavClientOptions = {}) {
    const url = new URL(endpoint.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('WebDAV URL must be http(s)');
    const username = endpoint.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const password = endpoint.password ?? (url.password ? decodeURIComponent(url.password) : '');
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.baseUrl = url;
    if (username !== undefined) this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.continueTimeoutMs = options.continueTimeoutMs ?? DEFAULT_CONTINUE_TIMEOUT_MS;
    const agent = (maxSockets: number) => (url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets }) : new http.Agent({ keepAlive: true, maxSockets }));
    const maxSockets = options.maxSockets ?? 32;
    this.agent = agent(maxSockets);
    this.uploadAgent = agent(options.maxUploadSockets ?? 256);
    if (url.protocol === 'http:') {
      this.direct = new DirectRangeGet({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80), hostHeader: url.host }, this.authorization, {
        timeoutMs: this.timeoutMs,
        maxSockets,
      });
    }
  }

  /**
   * Uploads `body` to `path`, creating missing parent collections. Refuses an existing resource with
   * StorageObjectExistsException without sending the body. Returns the bytes sent once the server stored them.
   */
  async put(path: string, body: Readable, options: WebDavPutOptions = {}): Promise<PutResult> {
    const segments = pathSegments(path);
    const parent = segments.slice(0, -1);
    await this.ensureCollection(parent);
    // At most: a stale kept-alive socket, then a parent removed behind our back. The body is still untouched then.
    for (let attempt = 1; ; attempt++) {
      const outcome = await putStream(
        { request: (headers) => this.request('PUT', this.urlOf(segments), headers, this.uploadAgent), continueTimeoutMs: this.continueTimeoutMs, path },
        body,
        options,
      ).catch(async (err: unknown) => {
        // An existing object (412) is someone else's: never remove it.
        if (err instanceof PutFailure && err.bodyStarted && !(err.error instanceof StorageObjectExistsException)) await this.removeFailedUpload(path);
        throw this.failure(err instanceof PutFailure ? err.error : err, path);
      });
      if (outcome.kind === 'stored') return outcome;
      if (attempt >= 3) throw new StorageFailureException(`PUT ${path} kept failing before its body was sent (${outcome.kind})`);
      if (outcome.kind === 'parent-missing') {
        this.forgetCollections(parent);
        await this.ensureCollection(parent);
      }
    }
  }

  /** Downloads `path`, optionally one byte range (206 expected; a server answering 200 is sliced here). */
  async get(path: string, range?: ByteRange): Promise<WebDavDownload> {
    const res = await this.send('GET', path, range ? { Range: `bytes=${range.start}-${range.end}` } : {});
    try {
      if (res.statusCode === 206 && range) return this.partial(res, path, range);
      if (res.statusCode === 200) {
        const size = contentLength(res.headers);
        if (size === undefined) throw new StorageFailureException(`GET ${path} answered without Content-Length`);
        if (!range) return { stream: res, size };
        if (range.start >= size) throw new StorageRangeNotSatisfiableException(path, size);
        const served = { start: range.start, end: Math.min(range.end, size - 1) };
        return { stream: sliceStream(res, served.start, served.end - served.start + 1), size, range: served };
      }
      if (res.statusCode === 416) {
        // Apache's 416 carries no `Content-Range: bytes */size`; ask for the size then.
        const told = /^bytes \*\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
        res.destroy();
        const size = told ? Number(told[1]) : (await this.head(path))?.size;
        if (size === undefined) throw new StorageObjectNotFoundException(path);
        throw new StorageRangeNotSatisfiableException(path, size);
      }
      throw this.statusFailure('GET', path, res.statusCode ?? 0);
    } catch (err) {
      res.destroy();
      throw err;
    }
  }

  /**
   * Opens one byte range of `path` for reading into a sink (see ByteRead). Over plain http the body goes
   * to the sink straight from the connection's receive buffer (DirectRangeGet); over https, or when the
   * server answers anything but a plain 206, it goes through `get` (same errors and slicing as there).
   */
  async openRange(path: string, range: ByteRange): Promise<ByteRead> {
    if (this.direct) {
      const url = this.urlOf(pathSegments(path));
      const opened = await this.direct.get(url.pathname, range).catch((err: unknown) => {
        throw this.failure(err, path);
      });
      if (opened.kind === 'read') return opened.read;
    }
    return streamByteRead((await this.get(path, range)).stream);
  }

  /** Size and validators of `path`, or undefined when absent (collections count as absent). */
  async head(path: string): Promise<WebDavResource | undefined> {
    const { status, headers } = await this.exchange('HEAD', path);
    if (status === 404) return undefined;
    if (status !== 200) throw this.statusFailure('HEAD', path, status);
    // Apache leaves Content-Length out of HEAD answers for empty files; PROPFIND tells the length of any file.
    const size = contentLength(headers) ?? (await this.propfindLength(path));
    const lastModified = headers['last-modified'] ? new Date(headers['last-modified']) : undefined;
    return { size, lastModified: lastModified && !isNaN(lastModified.getTime()) ? lastModified : undefined, etag: headers.etag };
  }

  /** `getcontentlength` of a PROPFIND (Depth 0) of `path`. */
  private async propfindLength(path: string): Promise<number> {
    const res = await this.send('PROPFIND', path, { Depth: '0', 'Content-Type': 'application/xml' }, PROPFIND_LENGTH);
    const text = await readSmallBody(res, 64 * 1024).catch((err: unknown) => {
      throw this.failure(err, path);
    });
    if (res.statusCode !== 207) throw this.statusFailure('PROPFIND', path, res.statusCode ?? 0);
    const m = /<(?:[\w-]+:)?getcontentlength(?:\s[^>]*)?>\s*(\d+)\s*</.exec(text);
    if (!m) throw new StorageFailureException(`neither HEAD nor PROPFIND told the length of ${path}`);
    return Number(m[1]);
  }

  /**
   * The names of the files directly in the collection `path` (a Depth 1 PROPFIND; sub-collections left out),
   * sorted; empty when the collection does not exist.
   */
  async listFiles(path: string): Promise<string[]> {
    const folder = this.urlOf(pathSegments(`${path}/`, true));
    const res = await this.send('PROPFIND', `${path}/`, { Depth: '1', 'Content-Type': 'application/xml' }, PROPFIND_TYPE);
    const text = await readSmallBody(res, MAX_LISTING_BYTES).catch((err: unknown) => {
      throw this.failure(err, path);
    });
    if (res.statusCode === 404) return [];
    if (res.statusCode !== 207) throw this.statusFailure('PROPFIND', path, res.statusCode ?? 0);
    const names: string[] = [];
    for (const [, entry] of text.matchAll(/<(?:[\w-]+:)?response(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w-]+:)?response>/g)) {
      const href = /<(?:[\w-]+:)?href(?:\s[^>]*)?>([^<]*)</.exec(entry)?.[1];
      if (!href || /<(?:[\w-]+:)?collection\s*\/?>/.test(entry)) continue;
      const at = new URL(decodeXmlText(href), folder);
      const name = decodeURIComponent(at.pathname.slice(folder.pathname.length));
      if (name && !name.includes('/')) names.push(name);
    }
    return names.sort();
  }

  /** Removes `path`; false when it was already absent. */
  async delete(path: string): Promise<boolean> {
    const { status } = await this.exchange('DELETE', path);
    if (status === 204 || status === 200) return true;
    if (status === 404) return false;
    throw this.statusFailure('DELETE', path, status);
  }

  /** Throws unless an authenticated PROPFIND (Depth 0) of the base collection succeeds. */
  async probe(): Promise<void> {
    const { status } = await this.exchange('PROPFIND', '', { Depth: '0', 'Content-Length': '0' });
    if (status === 404) throw new StorageFailureException(`the WebDAV collection ${this.baseUrl.href} does not exist`);
    if (status !== 207) throw this.statusFailure('PROPFIND', '', status);
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent.destroy();
    this.direct?.close();
    this.uploadAgent.destroy();
  }

  /**
   * After a PUT failed with part of its body sent: Apache's mod_dav_fs already discards a cut-short body (it
   * writes to a temporary file and renames on success), but a PUT that was stored and whose answer got lost
   * would leave a complete object behind a failure. Failure must mean "nothing stored", so remove it.
   */
  private async removeFailedUpload(path: string): Promise<void> {
    try {
      if (await this.delete(path)) this.logger.warn({ msg: 'removed the object of a failed upload', path });
    } catch (err) {
      this.logger.error({ msg: 'could not remove the object of a failed upload', path, error: (err as Error).message });
    }
  }

  /** Creates the collection `segments` below the base and any missing parent, level by level. */
  private async ensureCollection(segments: string[]): Promise<void> {
    if (segments.length === 0 || this.collections.has(segments.join('/'))) return;
    let status = await this.mkcol(segments);
    if (status === 409) {
      // Parent missing: create it first (recursion depth bounded by the key's segment count).
      await this.ensureCollection(segments.slice(0, -1));
      status = await this.mkcol(segments);
    }
    // Apache answers 403 to an MKCOL that lost a race with another creating the same collection (its mkdir
    // fails after its existence check passed); asked again it says 405 (exists), or 403 when truly forbidden.
    if (status === 403) status = await this.mkcol(segments);
    // 405: the collection exists already (possibly created concurrently).
    if (status !== 201 && status !== 405) throw this.statusFailure('MKCOL', segments.join('/'), status);
    if (this.collections.size >= MAX_REMEMBERED_COLLECTIONS) this.collections.clear();
    this.collections.add(segments.join('/'));
  }

  private async mkcol(segments: string[]): Promise<number> {
    const { status } = await this.exchange('MKCOL', `${segments.join('/')}/`);
    return status;
  }

  private forgetCollections(segments: string[]): void {
    for (let i = 1; i <= segments.length; i++) this.collections.delete(segments.slice(0, i).join('/'));
  }

  private partial(res: IncomingMessage, path: string, asked: ByteRange): WebDavDownload {
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
    if (!m) throw new StorageFailureException(`GET ${path} answered 206 without a usable Content-Range`);
    const [start, end, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (start !== asked.start || end !== Math.min(asked.end, size - 1)) {
      throw new StorageFailureException(`GET ${path} answered range ${start}-${end} for ${asked.start}-${asked.end}`);
    }
    return { stream: res, size, range: { start, end } };
  }

  /** Sends a body-less request and returns its response (body unread), retrying once on a stale socket. */
  private async send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<IncomingMessage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await new Promise<IncomingMessage>((resolve, reject) => {
          const req = this.request(method, this.urlOf(pathSegments(path, true)), headers);
          req.once('response', resolve);
          req.once('error', (err) => reject(new WebDavTransportError(err, req.reusedSocket)));
          req.end(body);
        });
      } catch (err) {
        if (attempt === 1 && err instanceof WebDavTransportError && err.stale) continue;
        throw this.failure(err, path);
      }
    }
  }

  /** A body-less request whose answer body is drained: status and headers only. */
  private async exchange(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders }> {
    const res = await this.send(method, path, headers);
    try {
      await new Promise<void>((resolve, reject) => {
        res.once('end', resolve);
        res.once('error', reject);
        res.resume();
      });
    } catch (err) {
      throw this.failure(err, path);
    }
    return { status: res.statusCode ?? 0, headers: res.headers };
  }

  private request(method: string, url: URL, headers: Record<string, string>, agent = this.agent): http.ClientRequest {
    const transport = url.protocol === 'https:' ? https : http;
    const all: Record<string, string> = { ...headers };
    if (this.authorization) all.Authorization = this.authorization;
    const req = transport.request(url, { method, headers: all, agent });
    req.setTimeout(this.timeoutMs, () => {
      req.destroy(Object.assign(new Error(`WebDAV ${method} got no data for ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    return req;
  }

  private urlOf(segments: string[]): URL {
    const url = new URL(this.baseUrl.href);
    url.pathname += segments.map(encodeURIComponent).join('/');
    return url;
  }

  /** Maps an error to what callers see: our own exceptions pass, transport failures mean "WebDAV unavailable". */
  private failure(err: unknown, path: string): Error {
    if (err instanceof RwsException) return err;
    if (err instanceof BodyStreamError) return err.cause;
    if (err instanceof WebDavTransportError) return new DependencyUnavailableException('WebDAV', err.cause);
    if (err instanceof Error && 'code' in err) return new DependencyUnavailableException('WebDAV', err);
    return err instanceof Error ? err : new StorageFailureException(`request for ${path} failed`, err);
  }

  private statusFailure(method: string, path: string, status: number): RwsException {
    if (status === 401 || status === 403) return new StorageAccessDeniedException(status);
    if (status === 404) return new StorageObjectNotFoundException(path);
    if (status >= 500) return new DependencyUnavailableException('WebDAV', new Error(`${method} ${path}: HTTP ${status}`));
    return new StorageFailureException(`${method} ${path} answered HTTP ${status}`);
  }
}

/** Splits a relative path; `.`/`..`/empty segments would let a URL escape its collection. */
function pathSegments(path: string, allowCollection = false): string[] {
  if (path === '') return allowCollection ? [] : invalid(path);
  const trimmed = allowCollection && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return invalid(path);
  return allowCollection && path.endsWith('/') ? [...segments, ''] : segments;
}

function invalid(path: string): never {
  throw new StorageFailureException(`unusable WebDAV path ${JSON.stringify(path)}`);
}

const PROPFIND_TYPE = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>';
/** A listing of a folder of 16 GB of 1 MiB segments is ~4 MB of XML. */
const MAX_LISTING_BYTES = 32 * 1024 * 1024;

/** The five XML entities (an href may carry `&amp;`). */
function decodeXmlText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
}

const PROPFIND_LENGTH = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getcontentlength/></D:prop></D:propfind>';

/** Reads a short answer body (a PROPFIND multistatus), refusing more than `limit` bytes. */
async function readSmallBody(res: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      res.destroy();
      throw new StorageFailureException(`answer body over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function contentLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
