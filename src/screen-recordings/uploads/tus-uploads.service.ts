import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import { ErrorCode } from '../../common/errors/error-code';
import type { Principal } from '../../identity/principal';
import { MetricsService } from '../../metrics/metrics.service';
import { UploadFinalizer } from './upload-finalizer';
import { StagedUpload, UploadStaging } from './upload-staging';
import { UploadStreams } from './upload-streams';
import { isFinalRefusal, UploadBusyException, UploadNotFoundException, UploadOffsetMismatchException, UploadTooLargeException } from './upload.exception';
import { RwsException } from '../../common/errors/rws.exception';

/** Largest screen recording accepted (bytes). */
export const MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

/** Result of a PATCH: the durable offset, whether the upload is now stored, and (unfinished) when it expires. */
export interface PatchResult {
  offset: number;
  stored: boolean;
  expiresAt?: Date;
}

/** Longest pause between two sweeps for expired uploads. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** Longest wait for the stores in progress to stop when the node shuts down. */
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * The tus 1.0 core protocol (creation, HEAD, PATCH, termination) over UploadStaging. Each PATCH is staged
 * and acknowledged at page-cache speed while UploadStreams stores the staged bytes in the background (one
 * PUT for the whole upload). The last chunk is acknowledged only once the recording is stored: if that
 * fails, the chunk is cut off again, so a client that re-asks the offset resends it instead of believing
 * the upload finished.
 */
@Injectable()
export class TusUploadsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Uploads');
  private readonly staging: UploadStaging;
  private readonly streams: UploadStreams;
  private readonly expiryMs: number;
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly finalizer: UploadFinalizer,
    metrics: MetricsService,
  ) {
    this.staging = new UploadStaging(join(resolve(config.dataDir), 'uploads'), { syncIntervalMs: config.uploads.syncIntervalMs });
    const stores = new Counter({
      name: 'rws_screen_upload_stores_total',
      help: 'Stores of screen-recording uploads into recording storage, by how they started (streamed while the upload arrived, or from the complete staged file) and result',
      labelNames: ['start', 'result'],
      registers: [metrics.registry],
    });
    this.streams = new UploadStreams(this.staging, finalizer, config.uploads.streamIdleMs, stores);
    this.expiryMs = config.uploads.expiryMs;
  }

  async onModuleInit(): Promise<void> {
    const { recovered, cut } = await this.staging.init();
    if (recovered > 0) this.logger.log({ msg: 'staged uploads found', uploads: recovered, cutBackAfterReboot: cut });
    const interval = Math.max(250, Math.min(MAX_SWEEP_INTERVAL_MS, Math.floor(this.expiryMs / 4)));
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.removeExpired().finally(() => (this.sweeping = undefined));
    }, interval);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)));
    await Promise.race([this.streams.abortAll(), timeout]);
    clearTimeout(timer);
  }

  /** When an unfinished upload expires (tus `expiration`): its last staged byte plus RWS_UPLOAD_EXPIRY_SECONDS. */
  expiresAt(upload: StagedUpload): Date {
    return new Date(upload.lastActivityMs + this.expiryMs);
  }

  async create(principal: Principal, length: number, metadata: Record<string, string>): Promise<{ id: string; expiresAt: Date }> {
    if (!Number.isSafeInteger(length) || length < 0) throw new InvalidParameterException('Upload-Length', 'a non-negative integer is required');
    if (length > MAX_UPLOAD_BYTES) throw new UploadTooLargeException(MAX_UPLOAD_BYTES);
    if (metadata.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(metadata.sha256)) {
      throw new InvalidParameterException('Upload-Metadata sha256', 'a hex SHA-256 digest is required');
    }
    const { ccid } = await this.finalizer.accept(principal, metadata, length);
    const id = randomBytes(16).toString('base64url');
    await this.staging.create({ id, ccid, owner: ownerKey(principal), length, metadata, createdAt: new Date().toISOString() });
    this.logger.log({ msg: 'upload created', uploadId: id, ccid, length, recordingId: metadata.recordingId });
    return { id, expiresAt: new Date(Date.now() + this.expiryMs) };
  }

  async head(principal: Principal, id: string): Promise<StagedUpload> {
    return withUnconfirmedEnd(await this.require(principal, id));
  }

  async patch(principal: Principal, id: string, clientOffset: number, body: Readable): Promise<PatchResult> {
    const upload = await this.require(principal, id);
    const { length } = upload.record;
    const outcome = await this.staging.exclusive(id, async () => {
      const staged = await this.require(principal, id);
      const current = withUnconfirmedEnd(staged);
      // The last byte given back by HEAD is really cut off when it is resent, and appended again.
      if (current.offset < staged.offset && clientOffset === current.offset) await this.staging.truncate(id, current.offset);
      if (current.offset !== clientOffset) throw new UploadOffsetMismatchException(current.offset, clientOffset);
      if (current.offset < length) this.streams.ensure(upload.record, current.offset);
      const appended = await this.staging.append(id, current.offset, body, length - current.offset, (offset) => this.streams.staged(id, offset));
      if (appended.offset < length) return { offset: appended.offset, stored: false, expiresAt: new Date(Date.now() + this.expiryMs) };
      await this.storeOrRollBack(upload, current.offset);
      return { offset: appended.offset, stored: true };
    });
    if (!outcome) throw new UploadBusyException(id);
    return outcome.value;
  }

  async terminate(principal: Principal, id: string): Promise<void> {
    await this.require(principal, id);
    const done = await this.staging.exclusive(id, async () => {
      await this.streams.abort(id);
      await this.staging.remove(id);
    });
    if (!done) throw new UploadBusyException(id);
  }

  private async storeOrRollBack(upload: StagedUpload, offsetBeforeChunk: number): Promise<void> {
    const id = upload.record.id;
    try {
      await this.streams.complete(upload.record);
    } catch (err) {
      // A final refusal ends the upload; anything else is retried by resending the last chunk.
      if (isFinalRefusal(err)) {
        await this.staging.remove(id);
        this.logger.warn({ msg: 'upload refused at completion', uploadId: id, error: err.message });
        throw err;
      }
      await this.staging.truncate(id, offsetBeforeChunk);
      this.logger.warn({ msg: 'upload could not be stored; last chunk un-acknowledged', uploadId: id, error: (err as Error).message });
      if (err instanceof RwsException && err.code === ErrorCode.DependencyUnavailable) throw err;
      throw new RwsException(ErrorCode.DependencyUnavailable, 'The recording could not be stored yet; resend the last chunk later.', {
        retryAfterSeconds: 5,
        cause: err,
      });
    }
    await this.staging.remove(id);
    this.logger.log({ msg: 'upload stored', uploadId: id, ccid: upload.record.ccid, length: upload.record.length });
  }

  private async require(principal: Principal, id: string): Promise<StagedUpload> {
    const upload = await this.staging.get(id);
    // Someone else's upload answers exactly like a missing one: ids do not leak.
    if (!upload || upload.record.owner !== ownerKey(principal)) throw new UploadNotFoundException(id);
    // Between two sweeps an expired upload is already gone for its client.
    if (this.isExpired(upload) && (await this.expire(id))) throw new UploadNotFoundException(id);
    return upload;
  }

  private isExpired(upload: StagedUpload): boolean {
    return Date.now() >= upload.lastActivityMs + this.expiryMs && !this.staging.isBusy(upload.record.id);
  }

  /** One sweep: removes every abandoned upload (its staged bytes and any store still waiting for it). */
  private async removeExpired(): Promise<void> {
    try {
      for (const id of await this.staging.ids()) {
        const upload = await this.staging.get(id).catch(() => undefined);
        if (upload && this.isExpired(upload)) await this.expire(id);
      }
    } catch (err) {
      this.logger.warn({ msg: 'sweep for expired uploads failed', error: (err as Error).message });
    }
  }

  /** Removes the upload when it is still expired under its lock; true when it was removed. */
  private async expire(id: string): Promise<boolean> {
    const done = await this.staging.exclusive(id, async () => {
      const upload = await this.staging.get(id);
      if (!upload || Date.now() < upload.lastActivityMs + this.expiryMs) return false;
      await this.streams.abort(id);
      await this.staging.remove(id);
      this.logger.log({ msg: 'upload expired', uploadId: id, ccid: upload.record.ccid, staged: upload.offset, length: upload.record.length });
      return true;
    });
    return done?.value ?? false;
  }
}

/**
 * An upload is removed from staging before its completion is answered; one still staged with all its bytes
 * is being stored now, or was not stored (the completion failed, or the process stopped during it). Either
 * way its client never heard "stored": its last byte is reported as missing, so that the client resends it
 * and gets the completion's answer, and never takes "every byte held" for "stored".
 */
function withUnconfirmedEnd(upload: StagedUpload): StagedUpload {
  const { length } = upload.record;
  return upload.offset === length && length > 0 ? { ...upload, offset: length - 1 } : upload;
}

function ownerKey(principal: Principal): string {
  return `${principal.ccid ?? '*'}/${principal.userName}`;
}
