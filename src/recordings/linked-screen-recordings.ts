/**
 * A screen recording of the same call, as shown with a voice recording (api.md §2). `mediaUri` only when it
 * can be played; `state` (and `missingReason` for a `missing` one) say why not.
 */
export interface ScreenRecordingLink {
  id: string;
  mediaUri?: string;
  state: string;
  playable: boolean;
  missingReason?: string;
  startTime?: string;
  stopTime?: string;
}

/**
 * The screen recordings of a call, seen from the voice side: listed with the recording, and put under
 * (or released from) non-delete with it. The screen-recordings module implements it.
 */
export abstract class LinkedScreenRecordings {
  /** The screen recordings of these calls, by call (each call's oldest first); calls without any are absent. */
  abstract forCalls(ccid: string, callUuids: string[], baseUrl: string): Promise<Map<string, ScreenRecordingLink[]>>;
  abstract setNonDelete(ccid: string, callUuids: string[], nonDelete: boolean): Promise<void>;
}
