import { Logger } from '@nestjs/common';
import { PartyRole, TlibMessage } from '../tlib/tlib-messages';
import type { CallTracker } from './call-tracker';
import { readIndication, recordedDnOf } from './recording-indication';
import type { TrackedCall, TrackedPartyState } from './tracked-call';

const PARTY_STATE_OF_EVENT: Record<string, TrackedPartyState> = {
  EventRinging: 'Ringing',
  EventDialing: 'Dialing',
  EventEstablished: 'Established',
  EventHeld: 'Held',
  EventRetrieved: 'Established',
};

/**
 * Applies one call event on a monitored DN (ThisDN) to the tracked calls. Recording state changes come from
 * EventAttachedDataChanged (GSIP_RECORD, compared case-insensitively, for the party GSIP_REC_FN names) and
 * from parties leaving: EventReleased of the recorded party is an implicit stop, OFF or not.
 */
export class CallEventApplier {
  private readonly logger = new Logger('CallState');

  constructor(private readonly tracker: CallTracker) {}

  apply(m: TlibMessage, at: number): void {
    const dn = m.ThisDN as string;
    if (m.message === 'EventPartyChanged') return this.partyChanged(m, dn, at);
    const known = this.tracker.get(m.CallUUID as string) ?? this.tracker.byConn(m.ConnID as string);
    if (m.message === 'EventReleased') {
      if (known) this.tracker.removeParty(known, dn, 'party-left', at);
      return;
    }
    const call = this.tracker.upsert(known?.callUuid ?? (m.CallUUID as string), m.ConnID as string, m.CallType);
    const isNew = known === undefined;
    this.tracker.setUserData(call, m.UserData);
    switch (m.message) {
      case 'EventPartyAdded':
        if (m.ThirdPartyDN) this.tracker.setParty(call, m.ThirdPartyDN, 'Established');
        break;
      case 'EventPartyDeleted':
        if (m.ThirdPartyDN && m.ThirdPartyDN !== dn) this.tracker.removeParty(call, m.ThirdPartyDN, 'party-left', at);
        break;
      case 'EventAttachedDataChanged':
        this.tracker.setParty(call, dn, call.parties.get(dn) ?? 'Unknown');
        if (this.indicate(call, m, at)) return;
        break;
      default: {
        const state = PARTY_STATE_OF_EVENT[m.message];
        if (state) this.tracker.setParty(call, dn, state);
        if (m.OtherDN) this.tracker.setParty(call, m.OtherDN, m.message === 'EventEstablished' ? 'Established' : 'Unknown');
      }
    }
    if (isNew) this.learnInitialRecording(call, at);
    if (call.parties.has(dn)) this.tracker.notify(call, dn, 'StatusChange', at);
  }

  /**
   * EventPartyChanged: the DN's connection changed. With a PreviousConnID of another call (a completed
   * two-step transfer or conference) the DN leaves that call for this one; with the same CallUUID only the
   * ConnID changed. A ThirdPartyDN that transferred the call has left it.
   */
  private partyChanged(m: TlibMessage, dn: string, at: number): void {
    const previous = m.PreviousConnID ? this.tracker.byConn(m.PreviousConnID) : undefined;
    if (previous && previous.callUuid !== m.CallUUID) this.tracker.removeParty(previous, dn, 'party-left', at);
    const known = this.tracker.get(m.CallUUID as string);
    const call = this.tracker.upsert(m.CallUUID as string, m.ConnID as string, m.CallType);
    this.tracker.setUserData(call, m.UserData);
    this.tracker.setParty(call, dn, 'Established');
    if (m.OtherDN) this.tracker.setParty(call, m.OtherDN, 'Unknown');
    if (m.ThirdPartyDN && m.ThirdPartyDNRole === PartyRole.TransferredBy && m.ThirdPartyDN !== dn) {
      this.tracker.removeParty(call, m.ThirdPartyDN, 'party-left', at);
    }
    if (!known) this.learnInitialRecording(call, at);
    if (this.tracker.get(call.callUuid)) this.tracker.notify(call, dn, 'StatusChange', at);
  }

  /** Applies GSIP_RECORD to the party it is about. Returns true when it published the change. */
  private indicate(call: TrackedCall, m: TlibMessage, at: number): boolean {
    const indication = readIndication(m.UserData);
    if (!indication) return false;
    let recorded: string | undefined;
    if (indication.fileName) {
      recorded = recordedDnOf(indication.fileName, call.callUuid, call.parties.keys());
      if (recorded === undefined) {
        // The file name belongs to another call (attached data copied to a consult): not about this call.
        this.logger.debug({ msg: 'recording indication for another call ignored', callUuid: call.callUuid, fileName: indication.fileName });
        return false;
      }
    } else {
      // No file name: the call's only recording, else the DN the event is for.
      recorded = call.recordings.size === 1 ? [...call.recordings.keys()][0] : (m.ThisDN as string);
    }
    const current = call.recordings.get(recorded);
    let state: 'recording' | 'paused' | 'stopped';
    switch (indication.state) {
      case 'on':
        state = 'recording';
        break;
      case 'paused':
        state = 'paused';
        break;
      case 'off':
        state = 'stopped';
        break;
      default:
        // When in doubt, pause; and never start a recording on a value we cannot read.
        this.logger.warn({ msg: 'unreadable GSIP_RECORD value', value: indication.raw, callUuid: call.callUuid });
        if (!current) return false;
        state = 'paused';
    }
    return this.tracker.setRecording(call, recorded, { state, fileName: indication.fileName, partitions: indication.partitions }, 'indication', at);
  }

  /**
   * A call first seen mid-way (a DN joined a call already recorded) may carry the indication of a running
   * recording. It is applied only when the file name names a party of this call, so stale data never
   * starts a recording.
   */
  private learnInitialRecording(call: TrackedCall, at: number): void {
    const indication = readIndication(call.userData);
    if (!indication?.fileName || (indication.state !== 'on' && indication.state !== 'paused')) return;
    const recorded = recordedDnOf(indication.fileName, call.callUuid, call.parties.keys(), true);
    if (recorded === undefined || call.recordings.has(recorded)) return;
    const state = indication.state === 'on' ? 'recording' : 'paused';
    this.tracker.setRecording(call, recorded, { state, fileName: indication.fileName, partitions: indication.partitions }, 'indication', at);
  }
}
