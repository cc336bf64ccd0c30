import type { CallInfo } from '../tlib/tlib-messages';
import type { CallTracker, RecordingTarget } from './call-tracker';
import { readIndication, recordedDnOf, splitPartitions, stateOf } from './recording-indication';
import { partyStateOf, TrackedCall } from './tracked-call';

/**
 * Rebuilds what RWS knows about one DN from what the server reports (EventRegistered / EventAddressInfo
 * `Calls`): calls the DN is no longer on are left (recordings stop), reported calls are taken as they are
 * (parties, ConnID, UserData), and each call's recordings become exactly the reported ones. Recordings the
 * server does not report are stopped; recordings it reports are started, paused or resumed to match, so the
 * result is the server's state and never a replay of what was missed.
 */
export class SnapshotReconciler {
  constructor(private readonly tracker: CallTracker) {}

  reconcile(dn: string, calls: CallInfo[], at: number): void {
    const reported = new Set(calls.map((c) => c.CallUUID));
    for (const call of this.tracker.callsOf(dn)) {
      if (!reported.has(call.callUuid)) this.tracker.removeParty(call, dn, 'resync', at);
    }
    for (const info of calls) {
      const call = this.tracker.upsert(info.CallUUID, info.ConnID, info.CallType);
      this.tracker.setUserData(call, info.UserData ?? {});
      const parties = new Map(info.Parties.map((p) => [p.DN, partyStateOf(p.State)]));
      // The reported parties first, so that removing stale ones never leaves the call without its DN.
      for (const [party, state] of parties) call.parties.set(party, state);
      if (!parties.has(dn)) call.parties.set(dn, 'Unknown');
      for (const party of [...call.parties.keys()]) {
        if (!parties.has(party) && party !== dn) this.tracker.removeParty(call, party, 'resync', at);
      }
      const desired = this.desiredRecordings(call, info, dn);
      for (const recorded of [...call.recordings.keys()]) {
        if (!desired.has(recorded)) this.tracker.setRecording(call, recorded, { state: 'stopped' }, 'resync', at);
      }
      for (const [recorded, target] of desired) this.tracker.setRecording(call, recorded, target, 'resync', at);
      this.tracker.notify(call, dn, 'StatusChange', at);
    }
  }

  /**
   * The call's recordings per party: from `Recordings` when the server lists them, otherwise from the
   * UserData indication (one recording at most, for bridges that cannot list them).
   */
  private desiredRecordings(call: TrackedCall, info: CallInfo, dn: string): Map<string, RecordingTarget> {
    const desired = new Map<string, RecordingTarget>();
    if (info.Recordings) {
      for (const r of info.Recordings) {
        const state = stateOf(r.State);
        // Unreadable state: a recording that exists is kept paused (when in doubt, pause).
        if (state === 'on' || state === 'paused' || state === 'unknown') {
          desired.set(r.DN, { state: state === 'on' ? 'recording' : 'paused', fileName: r.FileName, partitions: splitPartitions(r.Partitions) });
        }
      }
      return desired;
    }
    const indication = readIndication(info.UserData);
    if (!indication || (indication.state !== 'on' && indication.state !== 'paused')) return desired;
    const recorded = indication.fileName
      ? recordedDnOf(indication.fileName, call.callUuid, call.parties.keys())
      : call.recordings.size === 1
        ? [...call.recordings.keys()][0]
        : dn;
    if (recorded !== undefined) {
      desired.set(recorded, { state: indication.state === 'on' ? 'recording' : 'paused', fileName: indication.fileName, partitions: indication.partitions });
    }
    return desired;
  }
}
