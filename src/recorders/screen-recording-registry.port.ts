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

/**
 * Port: tells the screen-recording metadata module that a recording id exists, so that the upload carrying
 * it (tus `Upload-Metadata: recordingId`) can be linked to the agent and the voice call. Called without
 * waiting on the command path; a failure is logged, never delays the recorder.
 */
export abstract class ScreenRecordingRegistry {
  abstract created(recording: CreatedScreenRecording): Promise<void> | void;
  /** The recording was paused, resumed or stopped (its stop time is the voice recording's stop). Optional. */
  changed?(change: { recordingId: string; ccid?: string; state: 'paused' | 'recording' | 'stopped'; at: string }): Promise<void> | void;
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
