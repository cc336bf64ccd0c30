import { Injectable } from '@nestjs/common';
import type { MediaSource } from '../common/http/media-response';
import { EncryptedMediaReader } from '../crypto/media/encrypted-media-reader';
import { storageCiphertextSource } from '../crypto/media/encrypted-media-reader';
import type { RecordingContext } from '../recordings/recording-context';
import { RecordingsService } from '../recordings/recordings.service';
import { ScreenRecordingsService } from '../screen-recordings/screen-recordings.service';
import { RecordingStorage } from '../storage/recording-storage';
import type { Principal } from '../identity/principal';
import { VoiceMediaLocator } from '../recordings/voice-media-locator';

const TYPES_BY_EXTENSION: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', mp4: 'video/mp4', webm: 'video/webm', bin: 'application/octet-stream' };

/**
 * Playback (api.md §2, §8): finds the media a player asks for (access checked and audited by the owning
 * module), then serves it whole or by byte range — decrypted through the crypto service when the media
 * carries a `pkcs7` envelope, without decrypting from the start of the file.
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
    const media = await this.recordings.mediaForPlayback(ctx, recordingId, mediaFileId);
    const located = await this.locator.locate(ctx.ccid, media);
    const contentType = typeof media.type === 'string' ? media.type : (TYPES_BY_EXTENSION[extension] ?? 'application/octet-stream');
    if (typeof media.pkcs7 === 'string') {
      const decryptable = await this.encrypted.prepare(
        ctx.principal,
        ctx.ccid,
        { pkcs7: media.pkcs7, integrity: media.integrity },
        { size: () => located.size(), read: (start, end) => located.read({ start, end }) },
        { resource: `recording/${recordingId}/${mediaFileId}`, clientAddress: ctx.from },
      );
      return { size: decryptable.plaintextSize, contentType, open: (range) => decryptable.open(range) };
    }
    return { size: await located.size(), contentType, open: (range) => located.read(range) };
  }

  /** A screen recording's media file, decrypted for players. */
  async screen(principal: Principal, recordingId: string, mediaId: string, source?: string): Promise<MediaSource> {
    const { recording, media, size, read } = await this.screenRecordings.openStoredMedia(principal, recordingId, mediaId, undefined, source, 'play');
    if (media.pkcs7) {
      const decryptable = await this.encrypted.prepare(principal, recording.ccid, { pkcs7: media.pkcs7, integrity: media.integrity }, storageCiphertextSource(this.storage, media.storageKey), {
        resource: `screen-recording/${recordingId}/${mediaId}`,
        clientAddress: source,
      });
      return { size: decryptable.plaintextSize, contentType: media.type, etag: media.sha256, open: (range) => decryptable.open(range) };
    }
    return { size, contentType: media.type, etag: media.sha256, open: async (range) => (await read(range)).stream };
  }
}

function splitFileName(file: string): { id: string; extension: string } {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? { id: file.slice(0, dot), extension: file.slice(dot + 1).toLowerCase() } : { id: file, extension: '' };
}
