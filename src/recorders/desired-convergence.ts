import { randomUUID } from 'node:crypto';
import type { CommandAction, CommandMessage, DesiredScreenState, StatusMessage } from './recorder-protocol';

/** The parts of a desired screen recording a command names. */
export interface DesiredTarget {
  recordingId: string;
  callUuid: string;
  connId: string;
  state: DesiredScreenState;
}

export function newCommand(action: CommandAction, recordingId: string, callUuid: string, connId: string, at = new Date().toISOString()): CommandMessage {
  return { type: 'command', commandId: randomUUID(), action, recordingId, callUuid, connId, at };
}

/**
 * The one command that brings a recorder from what it reports (`status`) to what RWS wants, if any. Recording
 * anything while RWS wants a pause is paused (PCI); a recording RWS no longer wants is stopped.
 */
export function correctionFor(desired: DesiredTarget | null, status: StatusMessage): CommandMessage | undefined {
  const { state, recordingId } = status;
  if (!desired) {
    return (state === 'recording' || state === 'paused') && recordingId ? newCommand('stop', recordingId, '', '') : undefined;
  }
  const same = recordingId === desired.recordingId;
  let action: CommandAction | undefined;
  if (desired.state === 'paused') {
    // `pause` of the desired id converges from any state.
    if (state === 'recording') action = 'pause';
  } else if (state === 'idle' || (!same && (state === 'recording' || state === 'paused'))) {
    action = 'start';
  } else if (state === 'paused') {
    action = 'resume';
  }
  return action && newCommand(action, desired.recordingId, desired.callUuid, desired.connId);
}

/**
 * The one command that moves a recorder from the desired state it was last told (`told`) to `next` — used when
 * the commands in between were lost (a gap in the routed sequence, a Redis outage). A `start` of a new id also
 * ends the previous recording on the recorder's side, so one command always suffices.
 */
export function commandToConverge(told: DesiredTarget | null, next: DesiredTarget | null): CommandMessage | undefined {
  if (!next) return told ? newCommand('stop', told.recordingId, told.callUuid, told.connId) : undefined;
  if (told?.recordingId === next.recordingId) {
    if (told.state === next.state) return undefined;
    return newCommand(next.state === 'paused' ? 'pause' : 'resume', next.recordingId, next.callUuid, next.connId);
  }
  return newCommand(next.state === 'paused' ? 'pause' : 'start', next.recordingId, next.callUuid, next.connId);
}
