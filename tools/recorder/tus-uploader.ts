import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';

/** Where and as whom the recorder uploads. */
export interface TusUploaderOptions {
  /** `http(s)://host:port` of RWS. */
  baseUrl: string;
  authorization: string;
  /** Bytes per PATCH: a dropped connection costs at most one chunk. */
  chunkSize?: number;
  /** Attempts per chunk before giving up (with backoff between them). */
  retries?: number;
  retryDelayMs?: number;
}

const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * A small tus 1.0 client for finished screen recordings (api.md §6): creates the upload with the file's
 * SHA-256, sends it in chunks, and after any failure asks the server for its offset and continues from
 * there. Memory holds one chunk.
 */
export class TusUploader {
  private readonly chunkSize: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: TusUploaderOptions) {
    this.chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
    this.retries = options.retries ?? 8;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  /** Creates an upload for `file` and returns its URL (to resume later with `resume`). */
  async create(file: string, recordingId: string, contentType = 'video/mp4'): Promise<string> {
    const { size } = await fs.stat(file);
    const sha256 = await sha256Of(file);
    const res = await fetch(`${this.options.baseUrl}/api/v2/screen-recordings/uploads`, {
      method: 'POST',
      headers: {
        ...TUS,
        Authorization: this.options.authorization,
        'Upload-Length': String(size),
        'Upload-Metadata': formatUploadMetadata({ recordingId, filename: file.split('/').pop() ?? 'screen', contentType, sha256 }),
      },
    });
    if (res.status !== 201) throw new Error(`upload refused: HTTP ${res.status} ${await res.text()}`);
    return new URL(res.headers.get('location')!, this.options.baseUrl).toString();
  }

  /** Sends what the server does not have yet; resolves once RWS reports the recording stored. */
  async resume(uploadUrl: string, file: string, stopAfterBytes?: number): Promise<number> {
    const { size } = await fs.stat(file);
    let failures = 0;
    for (;;) {
      let offset: number;
      try {
        offset = await this.offsetOf(uploadUrl);
      } catch (err) {
        if (++failures > this.retries) throw err;
        await delay(this.retryDelayMs * failures);
        continue;
      }
      if (offset >= size || (stopAfterBytes !== undefined && offset >= stopAfterBytes)) return offset;
      const end = Math.min(size, offset + this.chunkSize, stopAfterBytes ?? size);
      const chunk = await readRange(file, offset, end);
      const res = await fetch(uploadUrl, {
        method: 'PATCH',
        headers: { ...TUS, Authorization: this.options.authorization, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: chunk,
      }).catch(() => undefined);
      if (res?.status === 204) {
        failures = 0;
        if (end === size) return size;
        continue;
      }
      // A checksum mismatch and an unknown upload are final; anything else (503, an offset that moved, a
      // dropped connection) is retried from the offset the server reports.
      const text = res ? await res.text() : '';
      if (res && (res.status === 404 || (res.status === 409 && text.includes('sha256')))) throw new Error(`upload failed: HTTP ${res.status} ${text}`);
      if (++failures > this.retries) throw new Error(`upload did not complete after ${this.retries} retries (last HTTP ${res?.status ?? 'none'})`);
      await delay(this.retryDelayMs * failures);
    }
  }

  async offsetOf(uploadUrl: string): Promise<number> {
    const res = await fetch(uploadUrl, { method: 'HEAD', headers: { ...TUS, Authorization: this.options.authorization } });
    // A finished upload is gone from staging: the recording is stored.
    if (res.status === 404) return Number.POSITIVE_INFINITY;
    if (res.status !== 200) throw new Error(`HEAD answered ${res.status}`);
    return Number(res.headers.get('upload-offset'));
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
