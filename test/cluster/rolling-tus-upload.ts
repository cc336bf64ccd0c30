import { createHash } from 'node:crypto';
import request from 'supertest';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import { TUS } from '../support/screen-upload-fixtures';

/** What a tus client saw over one upload: PATCHes tried, acknowledged (204) and retried (any other outcome). */
export interface TusCounts {
  tried: number;
  acknowledged: number;
  retried: number;
  /** Each failed PATCH's status (0: connection refused or dropped) — none is final for a tus client. */
  failures: number[];
  heads: number;
}

/** Statuses after which a tus client asks the upload's offset again (HEAD) and resumes from there. */
const RESUMABLE = new Set([0, 409, 423, 502, 503, 504]);

/**
 * A tus 1.0 client as a recorder runs one (tools/recorder/tus-uploader.ts does the same): PATCHes of `patchBytes`
 * through `baseUrl`; after any PATCH that is not acknowledged it asks the offset with HEAD (itself retried until
 * answered) and resumes there. `before(offset)` is awaited before each PATCH (pacing, or holding the last one).
 */
export class RollingTusUpload {
  readonly counts: TusCounts = { tried: 0, acknowledged: 0, retried: 0, failures: [], heads: 0 };
  path = '';

  constructor(
    private readonly baseUrl: string,
    private readonly authorization: string,
    private readonly file: Buffer,
    private readonly patchBytes: number,
  ) {}

  get sha256(): string {
    return createHash('sha256').update(this.file).digest('hex');
  }

  async create(recordingId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const res = await request(this.baseUrl)
        .post('/api/v2/screen-recordings/uploads')
        .set(TUS)
        .set('Authorization', this.authorization)
        .set('Upload-Length', String(this.file.length))
        .set('Upload-Metadata', formatUploadMetadata({ recordingId, filename: 'screen.mp4', contentType: 'video/mp4', sha256: this.sha256 }))
        .catch(() => undefined);
      if (res?.status === 201) {
        this.path = new URL(res.headers.location).pathname;
        return;
      }
      if (attempt > 20 || (res && !RESUMABLE.has(res.status))) throw new Error(`tus creation refused: ${res?.status} ${res?.text}`);
      await pause(250);
    }
  }

  /** Sends every byte; resolves once the last PATCH is acknowledged (the recording is stored by then). */
  async run(before: (offset: number) => Promise<void>): Promise<void> {
    let offset = 0;
    while (offset < this.file.length) {
      await before(offset);
      const end = Math.min(offset + this.patchBytes, this.file.length);
      this.counts.tried++;
      const res = await request(this.baseUrl)
        .patch(this.path)
        .set(TUS)
        .set('Authorization', this.authorization)
        .set('Upload-Offset', String(offset))
        .set('Content-Type', 'application/offset+octet-stream')
        .send(this.file.subarray(offset, end))
        .catch(() => undefined);
      if (res?.status === 204) {
        this.counts.acknowledged++;
        offset = Number(res.headers['upload-offset']);
        continue;
      }
      const status = res?.status ?? 0;
      if (!RESUMABLE.has(status)) throw new Error(`tus PATCH at ${offset} refused for good: ${status} ${res?.text}`);
      this.counts.retried++;
      this.counts.failures.push(status);
      offset = await this.offset();
    }
  }

  /** The offset the upload resumes from (HEAD), asked again until some node answers it. */
  private async offset(): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      this.counts.heads++;
      const res = await request(this.baseUrl)
        .head(this.path)
        .set(TUS)
        .set('Authorization', this.authorization)
        .catch(() => undefined);
      if (res?.status === 200) return Number(res.headers['upload-offset']);
      if (attempt > 40 || (res && !RESUMABLE.has(res.status))) throw new Error(`tus HEAD refused: ${res?.status}`);
      await pause(Number(res?.headers['retry-after']) > 0 ? 1000 : 250);
    }
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
