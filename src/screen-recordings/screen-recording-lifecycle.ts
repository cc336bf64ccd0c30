import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { NodeInstance } from '../cluster/node-instance';
import { formatTimestamp } from '../common/rws-time';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { isUuid } from '../contact-centers/contact-centers.service';
import { ScreenMissingReason, ScreenRecording, ScreenRecordingState } from './screen-recording';
import { ScreenEventOutbox, withEvent } from './screen-event-outbox';
import { ScreenRecordingStore } from './screen-recording.store';

/** What RWS knows when a recorder is told to start. */
export interface ScreenRecordingStart {
  recordingId: string;
  ccid: string;
  userName: string;
  agentId?: string;
  agentHierarchy?: string;
  callUuid: string;
  connId: string;
  partitions?: string[];
  at: string;
}

/**
 * A screen recording's states as its recorder goes (started, paused, resumed, stopped, missing). Each change
 * writes its event into the recording's outbox in the same compare-and-set, then relays it (webhooks).
 */
@Injectable()
export class ScreenRecordingLifecycle implements OnModuleDestroy {
  private readonly logger = new Logger('ScreenRecordings');
  /** Stopped recordings waiting for their upload, by id: at the end of the grace period they become missing. */
  private readonly awaitingUpload = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScreenRecordingStore,
    private readonly node: NodeInstance,
    private readonly outbox: ScreenEventOutbox,
  ) {}

  /** Creates the recording when RWS tells a recorder to start (its id is the command's recordingId). */
  async started(start: ScreenRecordingStart): Promise<void> {
    const now = new Date().toISOString();
    const recording: ScreenRecording = withEvent(
      {
        id: start.recordingId,
        ccid: start.ccid,
        region: this.config.region,
        userName: start.userName,
        agentId: start.agentId,
        agentHierarchy: start.agentHierarchy,
        partitions: start.partitions,
        callUuid: start.callUuid,
        connId: start.connId,
        startTime: start.at,
        state: 'recording',
        eventHistory: [{ occurredAt: formatTimestamp(start.at), event: 'Started' }],
        mediaFiles: [],
        nonDelete: false,
        createdAt: now,
        updatedAt: now,
        node: this.node.id,
      },
      'started',
      start.at,
    );
    if (await this.store.create(recording)) {
      void this.outbox.relay(recording);
      return;
    }
    // Already created: a node taking over the agent's session (its home drained or died) announces the same
    // start. It answers for the open recording from now on, so the missing detector does not stop it mid-call
    // because the node that created it is gone.
    await this.store.modify(start.ccid, start.recordingId, (existing) =>
      isRecorderState(existing.state) && existing.node !== this.node.id ? { ...existing, node: this.node.id } : undefined,
    );
  }

  /**
   * Follows pause/resume/stop; a stored recording keeps its state. A stop starts the upload grace period
   * (`RWS_SCREEN_MISSING_AFTER_SECONDS`): still without media at its end, the recording becomes `missing`
   * (here, or by the detector after a restart).
   */
  async stateChanged(ccid: string, id: string, state: 'recording' | 'paused' | 'stopped', at: string, userName?: string): Promise<ScreenRecording | undefined> {
    if (!isUuid(id)) return undefined;
    const written = await this.store.modify(ccid, id, (recording) =>
      // Stored, failed, missing and stopped are final for the recorder's states: a late pause must not reopen a stop.
      isRecorderState(recording.state) && recording.state !== state && (userName === undefined || recording.userName === userName)
        ? changedTo(recording, state, at)
        : undefined,
    );
    void this.outbox.relay(written);
    if (written?.state === 'stopped') this.awaitUpload(ccid, id);
    return written;
  }

  /**
   * The recording ended without media: no recorder was connected to record it, its recorder never uploaded,
   * or its upload failed. Never playable; listed as `missing` with the reason (a recording that got media
   * meanwhile keeps it). One compare-and-set: of concurrent callers (timer, detector, recorders) one writes
   * it, so there is one `missing` event.
   */
  async missing(ccid: string, id: string, reason: ScreenMissingReason, at: string): Promise<ScreenRecording | undefined> {
    const written = await this.store.modify(ccid, id, (recording) => {
      if (!(isRecorderState(recording.state) || recording.state === 'stopped') || recording.mediaFiles.length > 0) return undefined;
      const stopped = recording.state === 'stopped' ? recording : changedTo(recording, 'stopped', at);
      return withEvent({ ...stopped, state: 'missing', missingReason: reason, updatedAt: new Date().toISOString() }, 'missing', at, { reason });
    });
    await this.outbox.relay(written);
    return written;
  }

  /**
   * In-process timer (a restart forgets it; the missing-recording detector then finds the recording in the
   * store and ends it the same way).
   */
  private awaitUpload(ccid: string, id: string): void {
    if (this.awaitingUpload.has(id)) return;
    const timer = setTimeout(() => {
      this.awaitingUpload.delete(id);
      this.store
        .get(ccid, id)
        .then((r) => r && this.missing(ccid, id, r.uploadError ? 'upload-failed' : 'recorder-never-uploaded', new Date().toISOString()))
        .catch((err: unknown) => this.logger.warn({ msg: 'could not mark a screen recording missing', recordingId: id, error: (err as Error)?.message ?? String(err) }));
    }, this.config.recorders.uploadGraceMs);
    timer.unref();
    this.awaitingUpload.set(id, timer);
  }

  onModuleDestroy(): void {
    for (const timer of this.awaitingUpload.values()) clearTimeout(timer);
    this.awaitingUpload.clear();
  }
}

/** The recording in its new recorder state, with its history entry and event (none when the state stays). */
function changedTo(recording: ScreenRecording, state: 'recording' | 'paused' | 'stopped', at: string): ScreenRecording {
  if (recording.state === state) return recording;
  const event = state === 'paused' ? 'Paused' : state === 'stopped' ? 'Stopped' : 'Resumed';
  const next: ScreenRecording = {
    ...recording,
    state,
    stopTime: state === 'stopped' ? at : recording.stopTime,
    eventHistory: [...(recording.eventHistory ?? []), { occurredAt: formatTimestamp(at), event }],
    updatedAt: new Date().toISOString(),
  };
  return withEvent(next, event.toLowerCase() as 'paused' | 'stopped' | 'resumed', at);
}

/** States of a recording its recorder may still change. */
export function isRecorderState(state: ScreenRecordingState): state is 'recording' | 'paused' {
  return state === 'recording' || state === 'paused';
}
