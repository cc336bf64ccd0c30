import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import { isObject } from './recording-facts';
import { VoiceMediaLocator } from './voice-media-locator';
import type { RecordingMediaFile } from './voice-recording';

/**
 * Removes a voice recording's media from the WebDAV storage the media server wrote it to (located with the
 * contact center's voice storage credentials, as playback does). Media in other storage kinds is left in
 * place and logged (no S3 client here yet); an unreachable storage fails the delete (503), keeping metadata.
 */
@Injectable()
export class VoiceMediaRemover {
  private readonly logger = new Logger('VoiceMedia');

  constructor(private readonly locator: VoiceMediaLocator) {}

  async remove(ccid: string, media: RecordingMediaFile): Promise<void> {
    const descriptor = isObject(media.mediaDescriptor) ? media.mediaDescriptor : undefined;
    if (!descriptor || typeof descriptor.path !== 'string') return;
    if (String(descriptor.storage ?? 'webDAV').toLowerCase() !== 'webdav') {
      this.logger.warn({ msg: 'media left in place: storage kind not supported for deletion', ccid, mediaId: media.mediaId, storage: descriptor.storage });
      return;
    }
    let located;
    try {
      located = await this.locator.locate(ccid, media, { fresh: true });
    } catch (err) {
      if (!(err instanceof RwsException && err.code === ErrorCode.NotFound)) throw err;
      this.logger.warn({ msg: 'media left in place: no WebDAV storage configured for it', ccid, mediaId: media.mediaId });
      return;
    }
    await located.remove();
  }
}
