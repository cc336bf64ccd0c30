import type { KvList } from '../tlib/tlib-messages';

/** A party's state as RWS knows it (`Unknown` for a party only seen as OtherDN of a ringing call, etc.). */
export type TrackedPartyState = 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Queued' | 'Unknown';

/** One party's recording on a call, as RWS last learned it. */
export interface TrackedRecording {
  dn: string;
  state: 'recording' | 'paused';
  fileName?: string;
  partitions: string[];
  /**
   * Paused by RWS without the server's word (link lost, or a pause request whose answer is unknown): the fail
   * safe. Resumes only when the server reports ON again (an indication or a resync), never by assumption.
   */
  pausedByLinkLoss: boolean;
}

/** A call seen on one or more monitored DNs, keyed by CallUUID. */
export interface TrackedCall {
  callUuid: string;
  connId: string;
  callType?: number;
  parties: Map<string, TrackedPartyState>;
  userData: KvList;
  /** Recordings by recorded party DN. */
  recordings: Map<string, TrackedRecording>;
}

const PARTY_STATES = new Set<TrackedPartyState>(['Dialing', 'Ringing', 'Established', 'Held', 'Queued']);

/** A snapshot's party state (any case) as a tracked state. */
export function partyStateOf(value: string | undefined): TrackedPartyState {
  if (!value) return 'Unknown';
  const normalised = (value.charAt(0).toUpperCase() + value.slice(1).toLowerCase()) as TrackedPartyState;
  return PARTY_STATES.has(normalised) ? normalised : 'Unknown';
}
