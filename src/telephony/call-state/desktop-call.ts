import { callTypeName, KvList } from '../tlib/tlib-messages';
import type { TrackedCall, TrackedPartyState } from './tracked-call';

/** GWS recording states. */
export type RecordingStateName = 'Recording' | 'Paused' | 'Stopped';

/** GWS operations on a call's recording. */
export type RecordingOperation = 'StartCallRecording' | 'StopCallRecording' | 'PauseCallRecording' | 'ResumeCallRecording';

/** A call as one DN (an agent's desktop) sees it: the shape of GET /api/v2/me/calls items (api.md §4). */
export interface DesktopCall {
  /** CallUUID. */
  id: string;
  connId: string;
  callType: string;
  /** This DN's state on the call; `Released` once it left. */
  state: TrackedPartyState | 'Released';
  /** The other parties. */
  participants: { number: string; state: TrackedPartyState }[];
  userData: KvList;
  /** This DN's own recording when it is recorded, else the call's (any recorded party). */
  recordingState: RecordingStateName;
  capabilities: RecordingOperation[];
}

/** Builds the view of `call` for `dn`. */
export function desktopCallFor(call: TrackedCall, dn: string, released = false): DesktopCall {
  const recordingState = recordingStateFor(call, dn);
  const state = released ? 'Released' : (call.parties.get(dn) ?? 'Unknown');
  return {
    id: call.callUuid,
    connId: call.connId,
    callType: callTypeName(call.callType),
    state,
    participants: [...call.parties.entries()].filter(([d]) => d !== dn).map(([number, s]) => ({ number, state: s })),
    userData: { ...call.userData },
    recordingState,
    capabilities: state === 'Established' || state === 'Held' ? capabilitiesFor(recordingState) : [],
  };
}

/** The DN's own recording state if it is recorded; otherwise Recording if any party is, Paused if any is. */
export function recordingStateFor(call: TrackedCall, dn: string): RecordingStateName {
  const own = call.recordings.get(dn);
  if (own) return own.state === 'recording' ? 'Recording' : 'Paused';
  let paused = false;
  for (const r of call.recordings.values()) {
    if (r.state === 'recording') return 'Recording';
    paused = true;
  }
  return paused ? 'Paused' : 'Stopped';
}

function capabilitiesFor(state: RecordingStateName): RecordingOperation[] {
  switch (state) {
    case 'Recording':
      return ['StopCallRecording', 'PauseCallRecording'];
    case 'Paused':
      return ['StopCallRecording', 'ResumeCallRecording'];
    case 'Stopped':
      return ['StartCallRecording'];
  }
}
