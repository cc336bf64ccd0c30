import { Logger } from '@nestjs/common';
import type { DesiredScreen, ScreenTransition } from './desired-state-registry';
import type { AgentRef } from './recording-signals';
import { ScreenRecordingOutcome, ScreenRecordingRegistry } from './screen-recording-registry.port';

/**
 * Turns desired-state transitions into commands and metadata writes, in the right order. A start's metadata is
 * written BEFORE its command leaves (an upload right after a short recording must find it); the recording's
 * later commands follow the start, never waiting for their own writes (a PCI pause must not wait for a store).
 * Writes of one recording land in event order (a stop must never land before its create).
 */
export class ScreenTransitionDispatch {
  private readonly logger = new Logger('Recorders');
  /** Per screen recording: its metadata writes, in event order. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Per screen recording whose create is being written: its commands, held until the metadata exists. */
  private readonly held = new Map<string, Promise<void>>();

  constructor(
    private readonly screenRecordings: ScreenRecordingRegistry,
    /** Sends one transition's command wherever the agent's recorder is. */
    private readonly deliver: (t: ScreenTransition) => void,
  ) {}

  send(transitions: ScreenTransition[]): void {
    for (const t of transitions) {
      const recordingId = t.screen.recordingId;
      if (t.action === 'start') {
        const created = this.write(recordingId, () => this.announceCreated(t));
        if (!created) this.deliver(t);
        else this.hold(recordingId, created.then(() => this.deliver(t)));
        continue;
      }
      const pending = this.held.get(recordingId);
      if (pending) this.hold(recordingId, pending.then(() => this.deliver(t)));
      else this.deliver(t);
      // Read when the write runs: by then the start (if still held) has reached the recorder or not.
      void this.write(recordingId, () => this.announceChanged(t));
    }
  }

  /** Whether a start of this recording waits for its metadata (a correction now would send it twice). */
  isHeld(recordingId: string): boolean {
    return this.held.has(recordingId);
  }

  /** A recording RWS no longer wants (e.g. from before a restart): its metadata ends, so it is never stranded in `recording`. */
  endStale(recordingId: string, agent: AgentRef): void {
    const stale = { recordingId, ccid: agent.ccid, userName: agent.userName, at: new Date().toISOString() };
    void this.write(recordingId, () => this.screenRecordings.changed?.({ ...stale, state: 'stopped' }));
  }

  private hold(recordingId: string, delivered: Promise<void>): void {
    this.held.set(recordingId, delivered);
    void delivered.finally(() => {
      if (this.held.get(recordingId) === delivered) this.held.delete(recordingId);
    });
  }

  /**
   * Queues one metadata write of a recording behind its earlier ones; the promise settles (never rejects)
   * once it is done. Undefined when the write was synchronous and is done already (an in-memory registry).
   */
  private write(recordingId: string, task: () => Promise<void> | void): Promise<void> | undefined {
    const failed = (err: unknown) => {
      // Logged, never blocking: a start whose create failed still reaches the recorder (better recorded than not).
      this.logger.error({ msg: 'screen recording registry failed', recordingId, error: (err as Error)?.message ?? String(err) });
    };
    const previous = this.writes.get(recordingId);
    if (!previous) {
      let result: Promise<void> | void;
      try {
        result = task();
      } catch (err) {
        failed(err);
        return undefined;
      }
      if (!(result instanceof Promise)) return undefined;
      return this.track(recordingId, result.catch(failed));
    }
    return this.track(recordingId, previous.then(task).catch(failed));
  }

  private track(recordingId: string, done: Promise<void>): Promise<void> {
    this.writes.set(recordingId, done);
    void done.then(() => {
      if (this.writes.get(recordingId) === done) this.writes.delete(recordingId);
    });
    return done;
  }

  private announceCreated(t: ScreenTransition): Promise<void> | void {
    return this.screenRecordings.created({
      recordingId: t.screen.recordingId,
      ccid: t.agent.ccid,
      userName: t.agent.userName,
      agentId: t.agent.agentId,
      callUuid: t.screen.callUuid,
      connId: t.screen.connId,
      partitions: t.screen.partitions,
      startedAt: t.screen.startedAt,
    });
  }

  private announceChanged(t: ScreenTransition): Promise<void> | void {
    const outcome: ScreenRecordingOutcome =
      t.action === 'pause' ? { state: 'paused' } : t.action === 'resume' ? { state: 'recording' } : stopOutcome(t.screen);
    return this.screenRecordings.changed?.({ recordingId: t.screen.recordingId, ccid: t.agent.ccid, at: t.at, ...outcome });
  }
}

/** A stop of a screen recording no recorder was ever told about: no media can exist, it is missing. */
function stopOutcome(screen: DesiredScreen): ScreenRecordingOutcome {
  return screen.toldRecorder ? { state: 'stopped' } : { state: 'missing', reason: 'no-recorder-connected' };
}
