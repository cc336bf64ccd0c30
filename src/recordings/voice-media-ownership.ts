import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import { MediaClaimStore, MediaOwner, sameOwner } from './media-claim.store';
import { RecordingStore } from './recording.store';
import { isObject } from './recording-facts';
import { resolveVoiceMedia, VoiceMediaLocation, VoiceStore } from './voice-media-location';

/** The canonical name of a voice media object: its store root plus the encoded relative path. */
export function canonicalLocation(location: VoiceMediaLocation): string {
  return location.base + location.relative.split('/').map(encodeURIComponent).join('/');
}

/**
 * Ownership of voice media objects: an object belongs to the first recording that registers it (claims in
 * MediaClaimStore). Registering an object another live recording owns is refused (409); a claim whose
 * recording is gone, or no longer names the object, is stale and taken over.
 */
@Injectable()
export class VoiceMediaOwnership {
  constructor(
    private readonly claims: MediaClaimStore,
    private readonly recordings: RecordingStore,
  ) {}

  async claimAll(owner: MediaOwner, media: { field: string; location: VoiceMediaLocation }[], stores: VoiceStore[]): Promise<void> {
    for (const { field, location } of media) {
      if (!(await this.claimOne(owner, canonicalLocation(location), stores))) {
        throw new RwsException(ErrorCode.Conflict, `Parameter '${field}' names media that belongs to another recording.`);
      }
    }
  }

  /** False when another live recording owns the object (a stale claim is taken over; a lost race is retried twice). */
  private async claimOne(owner: MediaOwner, name: string, stores: VoiceStore[]): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await this.claims.claim(name, owner);
      if (sameOwner(holder, owner)) return true;
      if (await this.stillNames(holder, name, stores)) return false;
      if (await this.claims.replace(name, holder, owner)) return true;
    }
    return false;
  }

  /** Who owns the object now (undefined: nobody claimed it, e.g. inserted before claims existed). */
  ownerOf(location: VoiceMediaLocation): Promise<MediaOwner | undefined> {
    return this.claims.ownerOf(canonicalLocation(location));
  }

  release(location: VoiceMediaLocation, owner: MediaOwner): Promise<void> {
    return this.claims.release(canonicalLocation(location), owner);
  }

  /** Whether the claim's recording still exists and still names this object (else the claim is stale). */
  private async stillNames(holder: MediaOwner, name: string, stores: VoiceStore[]): Promise<boolean> {
    const recording = await this.recordings.get(holder.ccid, holder.recordingId);
    if (!recording) return false;
    return recording.mediaFiles.some((media) => {
      const descriptor = isObject(media.mediaDescriptor) ? media.mediaDescriptor : undefined;
      const location = typeof descriptor?.path === 'string' ? resolveVoiceMedia(stores, descriptor.path) : undefined;
      return location !== undefined && canonicalLocation(location) === name;
    });
  }
}
