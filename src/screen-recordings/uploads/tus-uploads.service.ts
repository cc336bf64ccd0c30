import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import type { Principal } from '../../identity/principal';
import { MediaDeleteQueue } from '../../storage/media-deletes/media-delete-queue';
import { RecordingStorage } from '../../storage/recording-storage';
import { SegmentEncryption, SegmentResult } from '../media-encryption';
import { writeSegment } from './segment-writer';
import { UploadCipherStates } from './upload-cipher-state';
import { UploadDigests } from './upload-digests';
import { unavailable, UploadCompletion } from './upload-completion';
import { UploadFinalizer } from './upload-finalizer';
import { UploadRecord, UploadStore } from './upload.store';
import { UploadBusyException, UploadNotFoundException, UploadOffsetMismatchException, UploadTooLargeException } from './upload.exception';

/** Largest screen recording accepted (bytes). */
export const MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

/** Result of a PATCH: the acknowledged offset, whether the upload is now stored, and (unfinished) when it expires. */
export interface PatchResult {
  offset: number;
  stored: boolean;
  expiresAt?: Date;
}

const ID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * The tus 1.0 core protocol (creation, HEAD, PATCH, termination) with no state on the node: each PATCH is
 * encrypted as it streams and stored as one segment object in recording storage, and the upload's record in
 * the shared metadata store advances (compare-and-set on its version) only once that object is stored;
 * that is the acknowledgement. So consecutive PATCHes may land on different nodes, and a node that dies
 * mid-PATCH leaves the upload at its last acknowledged offset for any node to continue. The last PATCH is
 * answered only once the recording is stored (see UploadCompletion).
 */
@Injectable()
export class TusUploadsService {
  private readonly logger = new Logger('Uploads');
  private readonly expiryMs: number;
  private readonly states: UploadCipherStates;
  private readonly digests: UploadDigests;
  readonly completion: UploadCompletion;
  /** PATCHes in progress on this node, so two of them to one upload are refused at once (423-like 409). */
  private readonly busy = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly finalizer: UploadFinalizer,
    private readonly store: UploadStore,
    private readonly storage: RecordingStorage,
    private readonly encryption: SegmentEncryption,
    deletes: MediaDeleteQueue,
  ) {
    this.expiryMs = config.uploads.expiryMs;
    this.states = new UploadCipherStates(encryption);
    this.digests = new UploadDigests(storage);
    this.completion = new UploadCompletion(store, storage, finalizer, deletes);
  }

  /** When an unfinished upload expires (tus `expiration`): its last acknowledged byte plus RWS_UPLOAD_EXPIRY_SECONDS. */
  expiresAt(upload: UploadRecord): Date {
    return new Date(upload.updatedAt + this.expiryMs);
  }

  /** Whether an upload is past its expiry (and not being written on this node). */
  isExpired(upload: { id: string; updatedAt: number }): boolean {
    return Date.now() >= upload.updatedAt + this.expiryMs && !this.busy.has(upload.id);
  }

  async create(principal: Principal, length: number, metadata: Record<string, string>): Promise<{ id: string; expiresAt: Date }> {
    if (!Number.isSafeInteger(length) || length < 0) throw new InvalidParameterException('Upload-Length', 'a non-negative integer is required');
    if (length > MAX_UPLOAD_BYTES) throw new UploadTooLargeException(MAX_UPLOAD_BYTES);
    if (metadata.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(metadata.sha256)) {
      throw new InvalidParameterException('Upload-Metadata sha256', 'a hex SHA-256 digest is required');
    }
    const { ccid } = await this.finalizer.accept(principal, metadata, length);
    const id = randomBytes(16).toString('base64url');
    const now = Date.now();
    const record: UploadRecord = {
      id,
      ccid,
      owner: ownerKey(principal),
      length,
      metadata,
      createdAt: new Date(now).toISOString(),
      offset: 0,
      version: 1,
      updatedAt: now,
      segments: [],
      cipher: this.states.pending(id),
    };
    if (!(await this.store.create(record))) throw new Error('upload id collision');
    this.logger.log({ msg: 'upload created', uploadId: id, ccid, length, recordingId: metadata.recordingId });
    return { id, expiresAt: this.expiresAt(record) };
  }

  /** The upload and the offset its client resumes from. */
  async head(principal: Principal, id: string): Promise<{ record: UploadRecord; offset: number }> {
    const record = await this.require(principal, id);
    return { record, offset: resumeOffset(record) };
  }

  async patch(principal: Principal, id: string, clientOffset: number, body: Readable): Promise<PatchResult> {
    // One read: nothing awaits between it and taking the busy mark, and the record's version is
    // compare-and-set when the segment is acknowledged, so a stale read can never advance the upload.
    const record = await this.require(principal, id);
    if (this.busy.has(id)) throw new UploadBusyException(id);
    this.busy.add(id);
    try {
      return await this.append(record, clientOffset, body);
    } finally {
      this.busy.delete(id);
    }
  }

  async terminate(principal: Principal, id: string): Promise<void> {
    const record = await this.require(principal, id);
    if (this.busy.has(id)) throw new UploadBusyException(id);
    // A complete upload may already be a recording's media: it is finished, never discarded.
    if (record.completion) await this.completion.finish(record);
    else await this.completion.discard(record, 'terminated by its client');
  }

  /** Removes an expired upload (any node may: the record goes by compare-and-set, then its objects). */
  async expire(id: string, version: number): Promise<boolean> {
    const record = await this.store.get(id);
    if (!record || record.version !== version || !this.isExpired(record)) return false;
    if (record.completion) {
      await this.completion.finish(record);
      return true;
    }
    const removed = await this.completion.discard(record, 'expired');
    if (removed) this.logger.log({ msg: 'upload expired', uploadId: id, ccid: record.ccid, acknowledged: record.offset, length: record.length });
    return removed;
  }

  private async append(stored: UploadRecord, clientOffset: number, body: Readable): Promise<PatchResult> {
    const record = await this.states.keyed(stored);
    if (record.completion) {
      // Every byte is stored; only the commit was not answered. The resent last byte asks for it again.
      if (clientOffset !== record.length - 1) throw new UploadOffsetMismatchException(record.length - 1, clientOffset);
      await this.completion.finish(record);
      return { offset: record.length, stored: true };
    }
    if (clientOffset !== record.offset) throw new UploadOffsetMismatchException(record.offset, clientOffset);
    const hash = await this.digests.at(record.id, record.offset, () => this.states.acknowledged(record)).catch((err: unknown) => {
      throw unavailable(err);
    });
    const session = this.encryption.segment(this.states.segmentParams(record));
    const key = `${this.finalizer.storagePrefix(record)}/${String(record.offset).padStart(12, '0')}-${randomBytes(4).toString('hex')}.seg`;
    const written = await writeSegment(this.storage, session, key, body, record.length - record.offset, hash).catch((err: unknown) => {
      throw unavailable(err);
    });
    // Nothing arrived: nothing changes (a key chosen just now is dropped; the next PATCH chooses another).
    if (written.received === 0) return { offset: record.offset, stored: false, expiresAt: this.expiresAt(record) };
    const offset = record.offset + written.received;
    const result: SegmentResult = { plaintextBytes: written.received, cipher: session.cipherResult(), ...(offset === record.length ? { sha256: hash.digest('hex') } : {}) };
    const segments = written.stored ? [...record.segments, { key, size: written.stored.size, ...(result.cipher ? { tags: Buffer.from(result.cipher.tags).toString('base64') } : {}) }] : record.segments;
    if (offset === record.length) {
      this.digests.forget(record.id);
      await this.completion.complete(record, segments, result, written.stored ? key : undefined);
      return { offset, stored: true };
    }
    const next: UploadRecord = { ...record, offset, version: record.version + 1, updatedAt: Date.now(), segments, cipher: this.states.next(record, result) };
    const acknowledged = await this.store.replace(next, record.version).catch(async (err: unknown) => {
      if (written.stored) await this.completion.removeObject(record.ccid, key, 'record not advanced');
      throw err;
    });
    if (!acknowledged) {
      // Another node appended (or the upload was removed) meanwhile: this segment is not part of the upload.
      if (written.stored) await this.completion.removeObject(record.ccid, key, 'lost the append race');
      const now = await this.store.get(record.id);
      if (!now) throw new UploadNotFoundException(record.id);
      throw new UploadOffsetMismatchException(resumeOffset(now), clientOffset);
    }
    this.digests.keep(record.id, offset, hash);
    return { offset, stored: false, expiresAt: this.expiresAt(next) };
  }

  private async require(principal: Principal, id: string): Promise<UploadRecord> {
    const record = ID.test(id) ? await this.store.get(id) : undefined;
    // Someone else's upload answers exactly like a missing one: ids do not leak.
    if (!record || record.owner !== ownerKey(principal)) throw new UploadNotFoundException(id);
    // Between two sweeps an expired upload is already gone for its client.
    if (!record.completion && this.isExpired(record) && (await this.expire(id, record.version))) throw new UploadNotFoundException(id);
    return record;
  }
}

/**
 * The offset a client resumes from. A complete upload whose completion was not answered (the commit failed,
 * or the node stopped during it) reports its last byte as missing, so the client resends it and gets the
 * completion's answer, and never takes "every byte held" for "stored".
 */
function resumeOffset(record: UploadRecord): number {
  return record.completion ? record.length - 1 : record.offset;
}

function ownerKey(principal: Principal): string {
  return `${principal.ccid ?? '*'}/${principal.userName}`;
}
