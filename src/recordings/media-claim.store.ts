/** The one recording of one contact center a stored voice media object belongs to. */
export interface MediaOwner {
  ccid: string;
  recordingId: string;
}

/**
 * Persistence port of voice media ownership: each media location (the canonical URL of an object in a voice
 * store) is claimed by the first recording that registers it. Node-wide (not per contact center), so two
 * contact centers configured on the same store still cannot share an object.
 */
export abstract class MediaClaimStore {
  /** Claims `location` for `owner` unless it is claimed; resolves to the holder after the attempt. */
  abstract claim(location: string, owner: MediaOwner): Promise<MediaOwner>;
  /** Moves the claim from `from` to `to` only if `from` still holds it (a stale holder's claim taken over). */
  abstract replace(location: string, from: MediaOwner, to: MediaOwner): Promise<boolean>;
  abstract ownerOf(location: string): Promise<MediaOwner | undefined>;
  /** Drops the claim if `owner` holds it. */
  abstract release(location: string, owner: MediaOwner): Promise<void>;
}

export function sameOwner(a: MediaOwner | undefined, b: MediaOwner): boolean {
  return a !== undefined && a.ccid === b.ccid && a.recordingId === b.recordingId;
}
