import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import { httpExchange } from './http-exchange';

/** Where and as whom the recorder uploads. */
export interface TusUploaderOptions {
  /** `http(s)://host:port` of RWS. */
  baseUrl: string;
  authorization: string;
  /**
   * Bytes per PATCH (default 64 MiB). RWS keeps what arrived of a PATCH cut short, so a dropped connection costs
   * no progress there (with other tus servers, at most one chunk); each PATCH costs RWS a fixed 20-40 ms (its
   * stored segment and compare-and-set), which larger chunks amortise: P3 at 8 MiB 113-157 MB/s, at 64 MiB
   * 176-218 MB/s (bench/RESULTS.md).
   */
  chunkSize?: number;
  /** Attempts per chunk before giving up (with backoff between them). */
  retries?: number;
  retryDelayMs?: number;
  /** Hears how long each PATCH took (diagnostics, benchmarks). */
  onPatch?: (ms: number, bytes: number) => void;
}

const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * A small tus 1.0 client for finished screen recordings (api.md §6): creates the upload with the file's
 * SHA-256, sends it in chunks, and after any failure asks the server for its offset and continues from
 * there. Each chunk streams from the file (memory holds a read buffer, not the chunk).
 */
export class TusUploader {
  private readonly chunkSize: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly agent: http.Agent;

  constructor(private readonly options: TusUploaderOptions) {
    this.chunkSize = options.chunkSize ?? 64 * 1024 * 1024;
    this.retries = options.retries ?? 8;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    const agentOptions = { keepAlive: true, maxSockets: 2 };
    this.agent = options.baseUrl.startsWith('https:') ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Creates an upload for `file` and returns its URL (to resume later with `resume`). */
  /** `durationSeconds`, when known, is announced so the stored media carries it (else RWS uses the recording's span). */
  async create(file: string, recordingId: string, contentType = 'video/mp4', durationSeconds?: number): Promise<string> {
    const { size } = await fs.stat(file);
    const sha256 = await sha256Of(file);
    const res = await httpExchange(this.agent, `${this.options.baseUrl}/api/v2/screen-recordings/uploads`, {
      method: 'POST',
      headers: {
        ...TUS,
        Authorization: this.options.authorization,
        'Upload-Length': String(size),
        'Upload-Metadata': formatUploadMetadata({
          recordingId,
          filename: file.split('/').pop() ?? 'screen',
          contentType,
          sha256,
          ...(durationSeconds !== undefined ? { duration: durationSeconds.toFixed(3) } : {}),
        }),
      },
    });
    if (res.status !== 201 || typeof res.headers.location !== 'string') throw new Error(`upload refused: HTTP ${res.status} ${res.text}`);
    return new URL(res.headers.location, this.options.baseUrl).toString();
  }

  /**
   * Sends what the server does not have yet; resolves once RWS reports the recording stored. The offset is
   * asked (HEAD) at the start and after a failure; otherwise each PATCH answer tells where to continue.
   */
  async resume(uploadUrl: string, file: string, stopAfterBytes?: number): Promise<number> {
    const { size } = await fs.stat(file);
    let failures = 0;
    let reported: number | undefined;
    for (;;) {
      let offset: number;
      try {
        offset = reported ?? (await this.offsetOf(uploadUrl));
      } catch (err) {
        if (++failures > this.retries) throw err;
        await delay(this.retryDelayMs * failures);
        continue;
      }
      reported = undefined;
      if (offset >= size || (stopAfterBytes !== undefined && offset >= stopAfterBytes)) return offset;
      const end = Math.min(size, offset + this.chunkSize, stopAfterBytes ?? size);
      const started = performance.now();
      const res = await httpExchange(this.agent, uploadUrl, {
        method: 'PATCH',
        headers: {
          ...TUS,
          Authorization: this.options.authorization,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(end - offset),
        },
        body: createReadStream(file, { start: offset, end: end - 1, highWaterMark: 1024 * 1024 }),
      }).catch(() => undefined);
      if (res?.status === 204) {
        this.options.onPatch?.(performance.now() - started, end - offset);
        failures = 0;
        if (end === size) return size;
        const next = Number(res.headers['upload-offset']);
        if (Number.isSafeInteger(next) && next > offset) reported = next;
        continue;
      }
      // A checksum mismatch and an unknown upload are final; anything else (503, an offset that moved, a
      // dropped connection) is retried from the offset the server reports.
      if (res && (res.status === 404 || (res.status === 409 && res.text.includes('sha256')))) throw new Error(`upload failed: HTTP ${res.status} ${res.text}`);
      if (++failures > this.retries) throw new Error(`upload did not complete after ${this.retries} retries (last HTTP ${res?.status ?? 'none'})`);
      await delay(this.retryDelayMs * failures);
    }
  }

  async offsetOf(uploadUrl: string): Promise<number> {
    const res = await httpExchange(this.agent, uploadUrl, { method: 'HEAD', headers: { ...TUS, Authorization: this.options.authorization } });
    // A finished upload is gone from staging: the recording is stored.
    if (res.status === 404) return Number.POSITIVE_INFINITY;
    if (res.status !== 200) throw new Error(`HEAD answered ${res.status}`);
    return Number(res.headers['upload-offset']);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
