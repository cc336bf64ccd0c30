import { Injectable } from '@nestjs/common';

/** A screen recording RWS has just created (at `start`), before any media exists. */
export interface CreatedScreenRecording {
  recordingId: string;
  ccid?: string;
  userName: string;
  agentId?: string;
  callUuid: string;
  connId: string;
  partitions?: string[];
  startedAt: string;
}

/** Why a screen recording has no media: no recorder was connected to record it, or it never uploaded. */
export type MissingReason = 'no-recorder-connected' | 'recorder-never-uploaded';

/** What became of a screen recording at a pause, resume or stop. */
export type ScreenRecordingOutcome = { state: 'paused' | 'recording' | 'stopped' } | { state: 'missing'; reason: MissingReason };

/** One change of a screen recording, at the time of the voice event that caused it. */
export type ScreenRecordingChange = ScreenRecordingOutcome & {
  recordingId: string;
  ccid?: string;
  at: string;
  /** When set, only a recording of this user may change (an id a recorder reported, not one RWS chose). */
  userName?: string;
};

/**
 * Port: tells the screen-recording metadata module that a recording id exists, so that the upload carrying
 * it (tus `Upload-Metadata: recordingId`) can be linked to the agent and the voice call. `created` is
 * awaited before the start command leaves (the upload must find it); the other changes are not waited for.
 * A failure is logged; it never stops the recorder from being told.
 */
export abstract class ScreenRecordingRegistry {
  abstract created(recording: CreatedScreenRecording): Promise<void> | void;
  /**
   * The recording was paused, resumed or stopped (its stop time is the voice recording's stop), or ended
   * `missing` because no recorder was ever told to record it. Optional.
   */
  changed?(change: ScreenRecordingChange): Promise<void> | void;
}

const REMEMBERED = 10_000;

/** Default: remembers the most recent ids in memory (bounded), until the metadata module binds its store. */
@Injectable()
export class InMemoryScreenRecordingRegistry extends ScreenRecordingRegistry {
  private readonly recent = new Map<string, CreatedScreenRecording>();

  created(recording: CreatedScreenRecording): void {
    this.recent.set(recording.recordingId, recording);
    if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value as string);
  }

  find(recordingId: string): CreatedScreenRecording | undefined {
    return this.recent.get(recordingId);
  }
}
