import { ScreenRecording, ScreenRecordingPage, ScreenRecordingQuery } from './screen-recording';

/** A pure function from the current document to the next one (undefined: leave it as it is). */
export type ScreenRecordingChange = (current: ScreenRecording) => ScreenRecording | undefined;

/** Persistence port for screen recordings. */
export abstract class ScreenRecordingStore {
  /** Stores a new recording; false when the id exists. */
  abstract create(recording: ScreenRecording): Promise<boolean>;
  /**
   * Read-modify-write of one document as a compare-and-set, retried when another writer got in between, so
   * that concurrent changes (a state change, the upload's completion, a legal hold) never undo each other.
   * `change` gets the current document and returns the new one (same id, call and user: lookup keys never
   * change) or undefined to write nothing. Resolves to what was written, or undefined when nothing was.
   */
  abstract modify(ccid: string, id: string, change: ScreenRecordingChange): Promise<ScreenRecording | undefined>;
  abstract get(ccid: string, id: string): Promise<ScreenRecording | undefined>;
  /** Recordings of one call, oldest first. */
  abstract listByCall(ccid: string, callUuid: string): Promise<ScreenRecording[]>;
  /** Recordings of any of these calls (a page of voice recordings asks once), each call's oldest first. */
  abstract listByCalls(ccid: string, callUuids: string[]): Promise<ScreenRecording[]>;
  /**
   * One page of a search by call, user and/or time window, newest first, with the caller's access applied
   * while walking (never a post-filter of a truncated list): a page holds `limit` visible recordings unless
   * none follow; `resumeAfter` is set exactly when more may follow.
   */
  abstract search(query: ScreenRecordingQuery): Promise<ScreenRecordingPage>;
  abstract delete(ccid: string, id: string): Promise<void>;
  /**
   * Open recordings (`isOpen`: the recorder's part not over, or events in the outbox) of every contact
   * center, in key order (`ccid/id`) strictly after `after`: what the missing-recording detector walks.
   */
  abstract listOpen(limit: number, after?: string): Promise<ScreenRecording[]>;
}
