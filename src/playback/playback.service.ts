import { Injectable } from '@nestjs/common';
import { bothInOrder } from '../common/async/both-in-order';
import type { MediaSource } from '../common/http/media-response';
import { EncryptedMediaReader } from '../crypto/media/encrypted-media-reader';
import { storageCiphertextSource } from '../crypto/media/encrypted-media-reader';
import type { RecordingContext } from '../recordings/recording-context';
import { RecordingsService } from '../recordings/recordings.service';
import { ScreenRecordingsService } from '../screen-recordings/screen-recordings.service';
import { RecordingStorage } from '../storage/recording-storage';
import type { Principal } from '../identity/principal';
import { VoiceMediaLocator } from '../recordings/voice-media-locator';
import { ScreenRecordingNotFoundException } from '../screen-recordings/screen-recordings.exception';

const TYPES_BY_EXTENSION: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', mp4: 'video/mp4', webm: 'video/webm', bin: 'application/octet-stream' };

/**
 * Playback (api.md §2, §8): finds the media a player asks for (access checked and audited by the owning
 * module), then serves it whole or by byte range — decrypted through the crypto service when the media
 * carries a `pkcs7` envelope, without decrypting from the start of the file.
 *
 * The steps after the metadata read run concurrently (the `play` audit entry, the key unwrap with its own
 * audit entry, the storage read), but no byte is served before both audit entries are durable and the key
 * is unwrapped: `ready()` and `open()` of the returned source wait for all of them, so a failed audit
 * write still fails the play (503) before any response.
 */
@Injectable()
export class PlaybackService {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly screenRecordings: ScreenRecordingsService,
    private readonly locator: VoiceMediaLocator,
    private readonly storage: RecordingStorage,
    private readonly encrypted: EncryptedMediaReader,
  ) {}

  /** A voice media file by `{mediaFileId}.{ext}`. */
  async voice(ctx: RecordingContext, recordingId: string, file: string): Promise<MediaSource> {
    const { id: mediaFileId, extension } = splitFileName(file);
    const { media, audited } = await this.recordings.mediaForPlayback(ctx, recordingId, mediaFileId);
    const contentType = typeof media.type === 'string' ? media.type : (TYPES_BY_EXTENSION[extension] ?? 'application/octet-stream');
    const prepared = (async (): Promise<MediaSource> => {
      const located = await this.locator.locate(ctx.ccid, media);
      if (typeof media.pkcs7 === 'string') {
        const decryptable = await this.encrypted.begin(
          ctx.principal,
          ctx.ccid,
          { pkcs7: media.pkcs7, integrity: media.integrity },
          { size: () => located.size(), read: (start, end) => located.read({ start, end }), openRead: (start, end) => located.openRange({ start, end }) },
          { resource: `recording/${recordingId}/${mediaFileId}`, clientAddress: ctx.from },
        );
        return { size: decryptable.plaintextSize, contentType, ready: () => decryptable.ready(), open: (range) => decryptable.open(range) };
      }
      return { size: await located.size(), contentType, open: (range) => located.read(range) };
    })();
    return afterAudit(audited, prepared);
  }

  /** A screen recording's media file, decrypted for players. */
  async screen(principal: Principal, recordingId: string, mediaId: string, source?: string, routeCcid?: string): Promise<MediaSource> {
    const { recording, media, audited } = await this.screenRecordings.findMedia(principal, recordingId, mediaId, routeCcid, source, 'play');
    const prepared = (async (): Promise<MediaSource> => {
      if (media.pkcs7) {
        // With an integrity record the sizes are known: storage is only asked for the bytes a range needs.
        const decryptable = await this.encrypted.begin(principal, recording.ccid, { pkcs7: media.pkcs7, integrity: media.integrity }, storageCiphertextSource(this.storage, media.storageKey), {
          resource: `screen-recording/${recordingId}/${mediaId}`,
          clientAddress: source,
        });
        return { size: decryptable.plaintextSize, contentType: media.type, etag: media.sha256, ready: () => decryptable.ready(), open: (range) => decryptable.open(range) };
      }
      const stored = await this.storage.stat(media.storageKey);
      if (!stored) throw new ScreenRecordingNotFoundException(`${recordingId}/${mediaId}`);
      return { size: stored.size, contentType: media.type, etag: media.sha256, open: async (range) => (await this.storage.read(media.storageKey, range)).stream };
    })();
    return afterAudit(audited, prepared);
  }
}

/**
 * The prepared source, served only once the play's audit entry is durable: `ready()` and `open()` wait
 * for it (an audit failure is the error reported first), while everything else — the key unwrap, the
 * storage read of the first bytes — already runs.
 */
async function afterAudit(audited: Promise<void>, prepared: Promise<MediaSource>): Promise<MediaSource> {
  let source: MediaSource;
  try {
    source = await prepared;
  } catch (err) {
    await audited;
    throw err;
  }
  return {
    ...source,
    ready: async () => {
      await audited;
      await source.ready?.();
    },
    open: async (range) => (await bothInOrder(audited, source.open(range), (body) => body.destroy()))[1],
  };
}

function splitFileName(file: string): { id: string; extension: string } {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? { id: file.slice(0, dot), extension: file.slice(dot + 1).toLowerCase() } : { id: file, extension: '' };
}
