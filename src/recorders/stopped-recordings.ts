import type { CommandMessage } from './recorder-protocol';

/** Stops remembered per node (insertion order = age): far more than the recordings a node sees end in a call's time. */
const REMEMBERED_STOPS = 20_000;

/**
 * The screen recordings this node told an agent's recorder to stop (and, in a cluster, those other nodes told it
 * to stop, learnt when the recorder connects here). A stopped id is finished for good (ids are
 * derived from the agent and the call, and recorders refuse to reopen a finished one), so a later `start`,
 * `resume` or `pause` of it is a stale command — e.g. from a home that derived it from telephony's view of the
 * call just before its release, racing the stop of the previous home — and is never sent.
 */
export class StoppedRecordings {
  private readonly stopped = new Set<string>();

  /** Whether the agent's recorder was told to stop this recording. */
  has(agentKey: string, recordingId: string): boolean {
    return this.stopped.has(`${agentKey}\n${recordingId}`);
  }

  /** Remembers that the agent's recorder was told to stop `recordingId` (on another node: see RecorderRouting.attach). */
  remember(agentKey: string, recordingId: string): void {
    const key = `${agentKey}\n${recordingId}`;
    this.stopped.delete(key);
    this.stopped.add(key);
    if (this.stopped.size > REMEMBERED_STOPS) this.stopped.delete(this.stopped.values().next().value as string);
  }

  /** Remembers a stop; false when `command` must not be sent (it would reopen a recording already stopped). */
  admit(agentKey: string, command: CommandMessage): boolean {
    const key = `${agentKey}\n${command.recordingId}`;
    if (command.action !== 'stop') return !this.stopped.has(key);
    this.remember(agentKey, command.recordingId);
    return true;
  }
}
