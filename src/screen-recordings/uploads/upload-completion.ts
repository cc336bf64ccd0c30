import { Logger } from '@nestjs/common';
import { RwsException } from '../../common/errors/rws.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { DEFAULT_CHUNK_SIZE } from '../../crypto/media/chunk-integrity';
import { MediaDeleteQueue } from '../../storage/media-deletes/media-delete-queue';
import type { RecordingStorage } from '../../storage/recording-storage';
import { buildManifest, manifestBody } from '../../storage/segmented/segment-manifest';
import { StorageObjectExistsException } from '../../storage/storage.exception';
import type { SegmentResult } from '../media-encryption';
import { UploadFinalizer } from './upload-finalizer';
import { UploadRecord, UploadSegment, UploadStore } from './upload.store';
import { isFinalRefusal, UploadChecksumMismatchException, UploadNotFoundException, UploadOffsetMismatchException } from './upload.exception';

/**
 * The end of an upload: once its last segment is stored, the SHA-256 and size are checked against what the
 * recorder announced, the record is moved (compare-and-set) to "complete" naming its manifest, and the
 * recording's metadata is committed; only then is the record removed and the client told "stored". Each
 * step may be run again by any node (a resent last byte), so a node dying between two steps loses nothing.
 */
export class UploadCompletion {
  private readonly logger = new Logger('Uploads');

  constructor(
    private readonly store: UploadStore,
    private readonly storage: RecordingStorage,
    private readonly finalizer: UploadFinalizer,
    private readonly deletes: MediaDeleteQueue,
  ) {}

  /** The last segment (`last`, if one was written) is stored and `result` ends the file: verify, then commit. */
  async complete(record: UploadRecord, segments: UploadSegment[], result: SegmentResult, last?: string): Promise<void> {
    if (result.sha256 !== record.metadata.sha256.toLowerCase()) {
      await this.discard({ ...record, segments }, 'checksum mismatch');
      await this.finalizer.failed(record, 'checksum mismatch');
      throw new UploadChecksumMismatchException();
    }
    const manifestKey = this.finalizer.mediaKey(record, Boolean(record.cipher.pkcs7));
    const ciphertextSize = segments.reduce((sum, s) => sum + s.size, 0);
    const integrity = record.cipher.pkcs7
      ? {
          version: 1,
          algorithm: 'AES-256-GMAC',
          chunkSize: DEFAULT_CHUNK_SIZE,
          ciphertextSize,
          plaintextSize: record.length,
          tags: Buffer.concat(segments.map((s) => Buffer.from(s.tags ?? '', 'base64'))).toString('base64'),
        }
      : undefined;
    const complete: UploadRecord = {
      ...record,
      offset: record.length,
      version: record.version + 1,
      updatedAt: Date.now(),
      segments,
      // The file key and hash state are not needed any more: dropped.
      cipher: { ...record.cipher, sealed: '' },
      completion: { manifestKey, sha256: result.sha256, ...(integrity ? { integrity } : {}) },
    };
    if (!(await this.store.replace(complete, record.version))) {
      // Another node appended or completed meanwhile (or the upload was removed): this last segment is not used.
      if (last) await this.removeObject(record.ccid, last, 'completion lost a race');
      const now = await this.store.get(record.id);
      if (!now) throw new UploadNotFoundException(record.id);
      throw new UploadOffsetMismatchException(now.completion ? now.length - 1 : now.offset, record.offset);
    }
    await this.finish(complete);
  }

  /** Writes the manifest (if not there yet), commits the recording's metadata, and removes the record. */
  async finish(record: UploadRecord): Promise<void> {
    const completion = record.completion!;
    try {
      const { body, length } = manifestBody(buildManifest(record.segments));
      await this.storage.write(completion.manifestKey, body, { contentLength: length, contentType: 'application/json' }).catch((err: unknown) => {
        // Written by an earlier run of this step: its content is the same (it follows from the record).
        if (!(err instanceof StorageObjectExistsException)) throw err;
      });
      const outcome = await this.finalizer.commit(record, {
        storageKey: completion.manifestKey,
        sha256: completion.sha256,
        bytes: record.length,
        pkcs7: record.cipher.pkcs7,
        integrity: completion.integrity,
      });
      // The recording already holds these bytes from another upload: this copy is not needed.
      if (outcome === 'duplicate') await this.removeObject(record.ccid, completion.manifestKey, 'duplicate of stored media');
      await this.sweep(record, new Set(record.segments.map((s) => s.key)));
    } catch (err) {
      if (!isFinalRefusal(err)) throw unavailable(err);
      await this.discard(record, `refused at completion: ${err.message}`);
      throw err;
    }
    await this.store.remove(record.id, record.version);
    this.logger.log({ msg: 'upload stored', uploadId: record.id, ccid: record.ccid, length: record.length, segments: record.segments.length });
  }

  /** Removes an upload and every object it wrote (its record first: a node appending meanwhile fails its compare-and-set). */
  async discard(record: UploadRecord, reason: string): Promise<boolean> {
    const current = await this.store.get(record.id);
    if (current && !(await this.store.remove(record.id, current.version))) return false;
    for (const segment of record.segments) await this.removeObject(record.ccid, segment.key, reason);
    if (record.completion) await this.removeObject(record.ccid, record.completion.manifestKey, reason);
    await this.sweep(record, new Set());
    this.logger.log({ msg: 'upload discarded', uploadId: record.id, ccid: record.ccid, reason, segments: record.segments.length });
    return true;
  }

  /**
   * Removes what is in the upload's folder and not in `keep`: a segment stored by a node that died (or lost
   * its link) between the segment's PUT and the record's compare-and-set, which no record names. Run once the
   * record can no longer take a segment (complete, or removed), so nothing it sweeps can still be acknowledged.
   * Best effort: a listing that fails leaves the leftovers, and says so.
   */
  private async sweep(record: UploadRecord, keep: Set<string>): Promise<void> {
    const folder = this.finalizer.storagePrefix(record);
    let stored: string[];
    try {
      stored = await this.storage.list(folder);
    } catch (err) {
      this.logger.warn({ msg: 'upload folder not swept: listing failed', uploadId: record.id, ccid: record.ccid, folder, error: (err as Error).message });
      return;
    }
    const leftovers = stored.filter((key) => !keep.has(key));
    for (const key of leftovers) await this.removeObject(record.ccid, key, 'segment no record names (its node stopped before acknowledging it)');
    if (leftovers.length) this.logger.log({ msg: 'upload folder swept', uploadId: record.id, ccid: record.ccid, removed: leftovers.length });
  }

  /** Deletes one object; a failure is queued for retry (MediaDeleteQueue), never left silently. */
  async removeObject(ccid: string, key: string, reason: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (err) {
      await this.deletes.queue(ccid, { kind: 'storage', key }, err, { reason: `upload: ${reason}` }).catch((queueErr: Error) =>
        this.logger.error({ msg: 'unused upload object left in storage: delete and retry queue both failed', ccid, key, error: queueErr.message }),
      );
    }
  }
}

/** A failure that is no final refusal: 503 with Retry-After (the client resends the last byte later). */
export function unavailable(err: unknown): RwsException {
  if (err instanceof RwsException && err.code === ErrorCode.DependencyUnavailable) return err;
  return new RwsException(ErrorCode.DependencyUnavailable, 'The recording could not be stored yet; resend the last chunk later.', { retryAfterSeconds: 5, cause: err });
}
