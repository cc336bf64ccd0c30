import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Principal } from '../identity/principal';
import { MediaDeleteQueue } from '../storage/media-deletes/media-delete-queue';
import { isObject } from './recording-facts';
import { VoiceMediaLocator } from './voice-media-locator';
import { resolveVoiceMedia } from './voice-media-location';
import { VoiceMediaOwnership } from './voice-media-ownership';
import type { RecordingMediaFile } from './voice-recording';

/**
 * Removes a voice recording's media from the WebDAV store the media server wrote it to (located with the
 * contact center's voice storage settings, only inside a configured store, as playback does). A store that
 * cannot be reached or refuses does not block the recording's delete: the media delete is queued and retried
 * (MediaDeleteQueue). Media in other storage kinds, or outside every configured store, is left in place and logged.
 */
@Injectable()
export class VoiceMediaRemover implements OnModuleInit {
  private readonly logger = new Logger('VoiceMedia');

  constructor(
    private readonly locator: VoiceMediaLocator,
    private readonly queue: MediaDeleteQueue,
    private readonly ownership: VoiceMediaOwnership,
  ) {}

  onModuleInit(): void {
    this.queue.registerExecutor('voice', async (ccid, target) => {
      if (target.kind === 'voice') await this.removeNow(ccid, target.path, target.recordingId);
    });
  }

  /** Deletes the media file now, or queues the delete for retry; resolves either way. */
  async remove(ccid: string, media: RecordingMediaFile, context: { recordingId: string; actor: Principal }): Promise<'deleted' | 'queued' | 'left'> {
    const descriptor = isObject(media.mediaDescriptor) ? media.mediaDescriptor : undefined;
    if (!descriptor || typeof descriptor.path !== 'string') return 'left';
    if (String(descriptor.storage ?? 'webDAV').toLowerCase() !== 'webdav') {
      this.logger.warn({ msg: 'media left in place: storage kind not supported for deletion', ccid, mediaId: media.mediaId, storage: descriptor.storage });
      return 'left';
    }
    return this.queue.deleteOrQueue(ccid, { kind: 'voice', path: descriptor.path, recordingId: context.recordingId }, context);
  }

  private async removeNow(ccid: string, path: string, recordingId: string | undefined): Promise<void> {
    const location = resolveVoiceMedia(await this.locator.storesOf(ccid, true), path);
    if (!location) {
      // Outside every configured store: RWS never sends a DELETE there, now or later.
      this.logger.warn({ msg: 'media left in place: not in a configured voice store of the contact center', ccid, recordingId });
      return;
    }
    const owner = recordingId ? { ccid, recordingId } : undefined;
    const holder = await this.ownership.ownerOf(location);
    if (holder && !(owner && holder.ccid === owner.ccid && holder.recordingId === owner.recordingId)) {
      // Another recording owns the object (registered it first, or took over after this one was deleted).
      this.logger.warn({ msg: 'media left in place: it belongs to another recording', ccid, recordingId, owner: holder.recordingId });
      return;
    }
    let target;
    try {
      target = this.locator.open(location, location.relative);
    } catch (err) {
      // The node's own folders (screen media, releases): never removed on behalf of a voice recording.
      this.logger.warn({ msg: 'media left in place: not voice media', ccid, recordingId, reason: (err as Error).message });
      return;
    }
    await target.remove();
    if (owner) await this.ownership.release(location, owner);
  }
}
