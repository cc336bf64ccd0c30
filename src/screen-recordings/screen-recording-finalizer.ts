import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScreenEventOutbox, withEvent } from './screen-event-outbox';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PassThrough, Transform } from 'node:stream';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { DIGEST_JOB_MODULE, DigestResult } from '../common/stream/digest-job';
import { StreamJobPool } from '../common/workers/stream-job-pool';
import type { Principal } from '../identity/principal';
import { isUuid } from '../contact-centers/contact-centers.service';
import { MediaDeleteQueue } from '../storage/media-deletes/media-delete-queue';
import { RecordingStorage } from '../storage/recording-storage';
import { MediaEncryption, MediaEncryptionSession, PlaintextDigest } from './media-encryption';
import { ScreenMediaFile, ScreenRecording } from './screen-recording';
import { ScreenRecordingStore } from './screen-recording.store';
import { announcedDuration, screenMediaDuration } from './screen-media-duration';
import { ScreenRecordingAlreadyStoredException, ScreenRecordingNotFoundException } from './screen-recordings.exception';
import { UploadFinalizer } from './uploads/upload-finalizer';
import { UploadRecord } from './uploads/upload-staging';
import { UploadChecksumMismatchException } from './uploads/upload.exception';

const CONTENT_TYPE = /^[a-z]+\/[A-Za-z0-9.+-]{1,64}$/;

/**
 * Turns an upload into a stored screen recording: one pass over its bytes (streamed while they arrive, or
 * the complete staged file) hashes the plaintext, encrypts it and streams the ciphertext into recording
 * storage; the metadata is written only after storage confirmed the object, and only if the SHA-256 matches
 * what the recorder announced. Any failure removes the object it wrote.
 */
@Injectable()
export class ScreenRecordingFinalizer extends UploadFinalizer {
  private readonly logger = new Logger('ScreenRecordings');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScreenRecordingStore,
    private readonly storage: RecordingStorage,
    private readonly encryption: MediaEncryption,
    private readonly jobs: StreamJobPool,
    private readonly deletes: MediaDeleteQueue,
    private readonly outbox: ScreenEventOutbox,
  ) {
    super();
  }

  async accept(principal: Principal, metadata: Record<string, string>, length: number): Promise<{ ccid: string }> {
    const recordingId = metadata.recordingId;
    if (!recordingId) throw new InvalidParameterException('Upload-Metadata recordingId', 'is required');
    if (!metadata.sha256) throw new InvalidParameterException('Upload-Metadata sha256', 'is required');
    if (metadata.contentType !== undefined && !CONTENT_TYPE.test(metadata.contentType)) {
      throw new InvalidParameterException('Upload-Metadata contentType', 'a media type like video/mp4');
    }
    if (length === 0) throw new InvalidParameterException('Upload-Length', 'an empty recording cannot be stored');
    announcedDuration(metadata);
    // An unreachable store is an outage (503 with Retry-After from the store), never "no such recording".
    const recording = principal.ccid && isUuid(recordingId) ? await this.store.get(principal.ccid, recordingId.toLowerCase()) : undefined;
    // Only the recorded agent's own recorder may upload its media.
    if (!recording || recording.userName !== principal.userName) throw new ScreenRecordingNotFoundException(recordingId);
    if (recording.state === 'stored') throw new ScreenRecordingAlreadyStoredException(recordingId);
    return { ccid: recording.ccid };
  }

  async finalize(upload: UploadRecord, open: () => Readable): Promise<void> {
    const recordingId = upload.metadata.recordingId;
    if (await this.alreadyHolds(upload)) return;

    // A fresh media id per attempt: storage never overwrites, and a failed attempt leaves nothing behind.
    const extension = extensionOf(upload.metadata.contentType ?? 'video/mp4');
    const mediaId = `${recordingId}-${randomUUID().slice(0, 8)}.${extension}`;
    const encryption = await this.encryption.begin(upload.ccid);
    const storageKey = `cc/${upload.ccid}/screen/${recordingId}/${encryption ? mediaId.replace(/\.[^.]+$/, '.bin') : mediaId}`;
    const plaintextStage = this.plaintextStage(encryption);
    const body = new PassThrough();
    const written = this.storage.write(storageKey, body, {
      contentType: encryption ? 'application/octet-stream' : upload.metadata.contentType,
      contentLength: encryption ? encryption.ciphertextLength(upload.length) : upload.length,
    });
    await Promise.all([pipeline(open(), plaintextStage.stream, body), written]);
    const stored = await written;

    const plaintext = plaintextStage.digest();
    const encrypted = encryption?.result();
    if (plaintext.sha256 !== upload.metadata.sha256.toLowerCase() || plaintext.bytes !== upload.length) {
      await this.cleanUp(upload.ccid, recordingId, storageKey, 'checksum mismatch');
      await this.failed(upload.ccid, recordingId, 'checksum mismatch');
      throw new UploadChecksumMismatchException();
    }
    const now = new Date().toISOString();
    const mediaOf = (recording: ScreenRecording): ScreenMediaFile => ({
      mediaId,
      type: upload.metadata.contentType ?? 'video/mp4',
      size: plaintext.bytes,
      duration: screenMediaDuration(upload.metadata, recording.startTime, recording.stopTime ?? now),
      startTime: recording.startTime,
      stopTime: recording.stopTime ?? now,
      sha256: plaintext.sha256,
      storageKey,
      storagePath: this.storagePathOf(storageKey),
      ...(encrypted ? { pkcs7: encrypted.pkcs7, integrity: encrypted.integrity } : {}),
    });
    let storedMeanwhile = false;
    let committed: ScreenRecording | undefined;
    try {
      // The bytes may have streamed in for minutes: commit on the recording as it is now (a stop, a legal
      // hold or another completion may have landed since), in one compare-and-set.
      committed = await this.store.modify(upload.ccid, recordingId, (current) => {
        storedMeanwhile = current.state === 'stored';
        if (storedMeanwhile) return undefined;
        const stored = { ...current, state: 'stored' as const, stopTime: current.stopTime ?? now, mediaFiles: [...current.mediaFiles, mediaOf(current)], uploadError: undefined, updatedAt: now };
        return withEvent(stored, 'stored', now, { mediaId });
      });
    } catch (err) {
      await this.cleanUp(upload.ccid, recordingId, storageKey, 'metadata not written');
      throw err;
    }
    if (!committed) {
      await this.cleanUp(upload.ccid, recordingId, storageKey, 'recording stored or gone meanwhile');
      if (storedMeanwhile && (await this.alreadyHolds(upload).catch(() => false))) return;
      throw storedMeanwhile ? new ScreenRecordingAlreadyStoredException(recordingId) : new ScreenRecordingNotFoundException(recordingId);
    }
    this.logger.log({ msg: 'screen recording stored', ccid: upload.ccid, recordingId, mediaId, size: stored.size, encrypted: Boolean(encryption) });
    await this.outbox.relay(committed);
  }

  /**
   * An upload attempt failed after its bytes arrived: the recording remembers why (a later `missing` says
   * `upload-failed`) and a `failed` event says so now. The recorder may still upload again.
   */
  private async failed(ccid: string, recordingId: string, reason: string): Promise<void> {
    const at = new Date().toISOString();
    const written = await this.store
      .modify(ccid, recordingId, (current) => (current.state === 'stored' ? undefined : withEvent({ ...current, uploadError: reason, updatedAt: at }, 'failed', at, { reason })))
      .catch((err: Error) => this.logger.warn({ msg: 'upload failure not recorded', recordingId, error: err.message }));
    await this.outbox.relay(written ?? undefined);
  }

  /**
   * Removes an object this attempt wrote but will not use. A failure is never swallowed: it is logged and the
   * delete is queued for retry; only when even queueing fails (metadata store down too) the object is left,
   * with an error line naming it.
   */
  private async cleanUp(ccid: string, recordingId: string, key: string, reason: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (err) {
      await this.deletes.queue(ccid, { kind: 'storage', key }, err, { recordingId, reason: `cleanup: ${reason}` }).catch((queueErr: Error) =>
        this.logger.error({ msg: 'unused media object left in storage: delete and retry queue both failed', ccid, recordingId, key, error: queueErr.message }),
      );
    }
  }

  /**
   * Where the plaintext is hashed: in the encryption's own pass when there is one, else on its own; either
   * way on a worker thread, so this thread only moves bytes.
   */
  private plaintextStage(encryption: MediaEncryptionSession | undefined): { stream: Transform; digest(): PlaintextDigest } {
    if (encryption) return { stream: encryption.stream, digest: () => encryption.result().plaintext };
    const hashing = this.jobs.transform<DigestResult>(DIGEST_JOB_MODULE, { algorithm: 'sha256' });
    return { stream: hashing, digest: () => ({ sha256: hashing.result().hex, bytes: hashing.result().bytes }) };
  }

  /**
   * Whether the recording is already stored with exactly this upload's bytes: a completion that is run
   * again (its first run committed, then the process stopped before answering) succeeds without a second
   * copy. Throws when the recording is gone, or stored with other media.
   */
  private async alreadyHolds(upload: UploadRecord): Promise<boolean> {
    const recordingId = upload.metadata.recordingId;
    const recording = await this.store.get(upload.ccid, recordingId);
    if (!recording) throw new ScreenRecordingNotFoundException(recordingId);
    if (recording.state !== 'stored') return false;
    const sha256 = upload.metadata.sha256.toLowerCase();
    if (recording.mediaFiles.some((m) => m.sha256 === sha256 && m.size === upload.length)) return true;
    throw new ScreenRecordingAlreadyStoredException(recordingId);
  }

  private storagePathOf(key: string): string {
    return this.config.storage === 'webdav' && this.config.webdav ? new URL(key, this.config.webdav.url.replace(/\/?$/, '/')).toString() : key;
  }
}

function extensionOf(contentType: string): string {
  const sub = contentType.split('/')[1] ?? 'bin';
  return /^[a-z0-9]{1,8}$/.test(sub) ? sub : 'bin';
}
