import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScreenEventOutbox, withEvent } from './screen-event-outbox';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { InvalidParameterException } from '../common/errors/rws.exception';
import type { Principal } from '../identity/principal';
import { isUuid } from '../contact-centers/contact-centers.service';
import { ScreenMediaFile, ScreenRecording } from './screen-recording';
import { ScreenRecordingStore } from './screen-recording.store';
import { announcedDuration, screenMediaDuration } from './screen-media-duration';
import { ScreenRecordingAlreadyStoredException, ScreenRecordingNotFoundException } from './screen-recordings.exception';
import { CommitOutcome, StoredUpload, UploadFinalizer } from './uploads/upload-finalizer';
import type { UploadRecord } from './uploads/upload.store';
import { manifestKeyOf } from '../storage/segmented/segment-manifest';

const CONTENT_TYPE = /^[a-z]+\/[A-Za-z0-9.+-]{1,64}$/;

/**
 * Turns a stored, verified upload into a screen recording's media: checks who may upload for which
 * recording, places the upload's objects below the recording's folder, and names the stored object in the
 * recording's metadata in one compare-and-set.
 */
@Injectable()
export class ScreenRecordingFinalizer extends UploadFinalizer {
  private readonly logger = new Logger('ScreenRecordings');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScreenRecordingStore,
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

  storagePrefix(upload: UploadRecord): string {
    return `cc/${upload.ccid}/screen/${upload.metadata.recordingId}/upload-${upload.id}`;
  }

  mediaKey(upload: UploadRecord, encrypted: boolean): string {
    const base = `cc/${upload.ccid}/screen/${upload.metadata.recordingId}/${mediaBaseOf(upload)}`;
    return manifestKeyOf(base, encrypted ? 'bin' : extensionOf(upload.metadata.contentType ?? 'video/mp4'));
  }

  async commit(upload: UploadRecord, stored: StoredUpload): Promise<CommitOutcome> {
    const recordingId = upload.metadata.recordingId;
    const held = await this.holding(upload, stored.storageKey);
    if (held) return held;
    // One media id per upload: a commit that is run again (its first run committed, the answer was lost) finds it.
    const mediaId = `${mediaBaseOf(upload)}.${extensionOf(upload.metadata.contentType ?? 'video/mp4')}`;
    const now = new Date().toISOString();
    const mediaOf = (recording: ScreenRecording): ScreenMediaFile => ({
      mediaId,
      type: upload.metadata.contentType ?? 'video/mp4',
      size: stored.bytes,
      duration: screenMediaDuration(upload.metadata, recording.startTime, recording.stopTime ?? now),
      startTime: recording.startTime,
      stopTime: recording.stopTime ?? now,
      sha256: stored.sha256,
      storageKey: stored.storageKey,
      storagePath: this.storagePathOf(stored.storageKey),
      ...(stored.pkcs7 && stored.integrity ? { pkcs7: stored.pkcs7, integrity: stored.integrity } : {}),
    });
    let storedMeanwhile = false;
    // The bytes may have streamed in for minutes: commit on the recording as it is now (a stop, a legal
    // hold or another completion may have landed since), in one compare-and-set.
    const committed = await this.store.modify(upload.ccid, recordingId, (current) => {
      storedMeanwhile = current.state === 'stored';
      if (storedMeanwhile) return undefined;
      const stored = { ...current, state: 'stored' as const, stopTime: current.stopTime ?? now, mediaFiles: [...current.mediaFiles, mediaOf(current)], uploadError: undefined, updatedAt: now };
      return withEvent(stored, 'stored', now, { mediaId });
    });
    if (!committed) {
      const meanwhile = storedMeanwhile ? await this.holding(upload, stored.storageKey) : undefined;
      if (meanwhile) return meanwhile;
      throw storedMeanwhile ? new ScreenRecordingAlreadyStoredException(recordingId) : new ScreenRecordingNotFoundException(recordingId);
    }
    this.logger.log({ msg: 'screen recording stored', ccid: upload.ccid, recordingId, mediaId, size: stored.bytes, encrypted: Boolean(stored.pkcs7) });
    await this.outbox.relay(committed);
    return 'committed';
  }

  /**
   * An upload failed after its bytes arrived: the recording remembers why (a later `missing` says
   * `upload-failed`) and a `failed` event says so now. The recorder may still upload again.
   */
  async failed(upload: UploadRecord, reason: string): Promise<void> {
    const { ccid } = upload;
    const recordingId = upload.metadata.recordingId;
    const at = new Date().toISOString();
    const written = await this.store
      .modify(ccid, recordingId, (current) => (current.state === 'stored' ? undefined : withEvent({ ...current, uploadError: reason, updatedAt: at }, 'failed', at, { reason })))
      .catch((err: Error) => this.logger.warn({ msg: 'upload failure not recorded', recordingId, error: err.message }));
    await this.outbox.relay(written ?? undefined);
  }

  /**
   * Whether the recording is already stored with exactly this upload's bytes: 'committed' under this key (a
   * commit run again), 'duplicate' under another (the same file uploaded twice). Undefined while it is not
   * stored; throws when it is gone, or stored with other media.
   */
  private async holding(upload: UploadRecord, storageKey: string): Promise<CommitOutcome | undefined> {
    const recordingId = upload.metadata.recordingId;
    const recording = await this.store.get(upload.ccid, recordingId);
    if (!recording) throw new ScreenRecordingNotFoundException(recordingId);
    if (recording.state !== 'stored') return undefined;
    if (recording.mediaFiles.some((m) => m.storageKey === storageKey)) return 'committed';
    const sha256 = upload.metadata.sha256.toLowerCase();
    if (recording.mediaFiles.some((m) => m.sha256 === sha256 && m.size === upload.length)) return 'duplicate';
    throw new ScreenRecordingAlreadyStoredException(recordingId);
  }

  private storagePathOf(key: string): string {
    return this.config.storage === 'webdav' && this.config.webdav ? new URL(key, this.config.webdav.url.replace(/\/?$/, '/')).toString() : key;
  }
}

/** The media id and key of an upload without their extension: one per upload. */
function mediaBaseOf(upload: UploadRecord): string {
  return `${upload.metadata.recordingId}-${upload.id.slice(0, 8)}`;
}

function extensionOf(contentType: string): string {
  const sub = contentType.split('/')[1] ?? 'bin';
  return /^[a-z0-9]{1,8}$/.test(sub) ? sub : 'bin';
}
