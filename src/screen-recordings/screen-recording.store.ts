import { ScreenRecording, ScreenRecordingQuery } from './screen-recording';

/** Persistence port for screen recordings. */
export abstract class ScreenRecordingStore {
  /** Stores a new recording; false when the id exists. */
  abstract create(recording: ScreenRecording): Promise<boolean>;
  /** Replaces a recording's document (same id, same call and user: lookup keys never change). */
  abstract update(recording: ScreenRecording): Promise<void>;
  abstract get(ccid: string, id: string): Promise<ScreenRecording | undefined>;
  /** Recordings of one call, oldest first. */
  abstract listByCall(ccid: string, callUuid: string): Promise<ScreenRecording[]>;
  /** Recordings of any of these calls (a page of voice recordings asks once), each call's oldest first. */
  abstract listByCalls(ccid: string, callUuids: string[]): Promise<ScreenRecording[]>;
  /** Search by user and/or time window (callUuid goes through listByCall); newest first, at most `limit`. */
  abstract search(query: ScreenRecordingQuery): Promise<ScreenRecording[]>;
  abstract delete(ccid: string, id: string): Promise<void>;
}
