import { CallInfo, CallType, CallTypeName, KvList, PartyRole } from '../../src/telephony/tlib/tlib-messages';
import { RecordingEngine, RecordValueCase } from './recording-engine';
import { newCallUuid, newConnId } from './sim-ids';
import { PartyState, SimCall, SimError, SimParty } from './sim-types';
import { SwitchDirectory } from './switch-directory';

/** An event for one DN, without the per-link attributes (sequence number, server start time, timestamps). */
export type SimEvent = { message: string; ThisDN: string } & Record<string, unknown>;

/** Where the model's events go: the active server delivers them to the links that registered the DN. */
export type EventSink = (dn: string, event: SimEvent) => void;

const CALL_TYPES: Record<string, CallTypeName> = { internal: 'Internal', inbound: 'Inbound', outbound: 'Outbound' };

/**
 * The switch's calls: parties, states, attached data and recordings, and the T-Library events each change
 * produces for the switch DNs involved. External numbers are parties too but receive no events.
 * Transfers and conferences live in call-transfers.ts; recording rules in recording-engine.ts.
 */
export class CallModel {
  readonly directory = new SwitchDirectory();
  readonly recordings: RecordingEngine;
  private readonly calls = new Map<string, SimCall>();

  constructor(
    private readonly sink: EventSink,
    recordValueCase: RecordValueCase = 'upper',
  ) {
    this.recordings = new RecordingEngine({ directory: this.directory, announce: (call) => this.announce(call) }, recordValueCase);
  }

  // ---- lookups ----

  /** A call by ConnID or CallUUID; 404 when unknown. */
  call(id: string): SimCall {
    const call = this.find(id);
    if (!call) throw new SimError(`no call ${id}`, 404);
    return call;
  }

  find(id: string): SimCall | undefined {
    const byConnId = this.calls.get(id);
    if (byConnId) return byConnId;
    for (const call of this.calls.values()) if (call.callUuid === id) return call;
    return undefined;
  }

  allCalls(): SimCall[] {
    return [...this.calls.values()];
  }

  /** The calls `dn` is a party of, as EventRegistered / EventAddressInfo report them. */
  snapshotFor(dn: string): CallInfo[] {
    return this.allCalls()
      .filter((c) => c.parties.has(dn))
      .map((c) => this.snapshot(c));
  }

  snapshot(call: SimCall): CallInfo {
    return {
      ConnID: call.connId,
      CallUUID: call.callUuid,
      CallType: call.callType,
      Parties: [...call.parties.values()].map((p) => ({ DN: p.dn, State: p.state, Role: p.role })),
      UserData: { ...call.userData },
      Recordings: this.recordings.describe(call),
    };
  }

  // ---- primitives shared with transfers ----

  createCall(callType: number, extra: Partial<SimCall> = {}): SimCall {
    const call: SimCall = {
      connId: newConnId(),
      callUuid: newCallUuid(),
      callType,
      parties: new Map(),
      userData: {},
      recordings: new Map(),
      suppressed: new Set(),
      fullTimeDone: new Set(),
      joining: new Map(),
      createdAt: new Date().toISOString(),
      ...extra,
    };
    this.calls.set(call.connId, call);
    return call;
  }

  deleteCall(call: SimCall): void {
    this.recordings.onCallEnded(call);
    this.calls.delete(call.connId);
  }

  addParty(call: SimCall, dn: string, state: PartyState, role: number): SimParty {
    if (call.parties.has(dn)) throw new SimError(`${dn} is already a party of call ${call.connId}`, 409);
    const party: SimParty = { dn, external: !this.directory.isSwitchDn(dn), state, role };
    call.parties.set(dn, party);
    return party;
  }

  requireParty(call: SimCall, dn: string): SimParty {
    const party = call.parties.get(dn);
    if (!party) throw new SimError(`${dn} is not a party of call ${call.connId}`, 409);
    return party;
  }

  /** The party `dn` talks to: an established one if any. */
  otherOf(call: SimCall, dn: string): string | undefined {
    const others = [...call.parties.values()].filter((p) => p.dn !== dn);
    return (others.find((p) => p.state === 'Established') ?? others[0])?.dn;
  }

  /** Sends a call event to `dn` when it is a switch DN. */
  send(call: SimCall, dn: string, message: string, attributes: Record<string, unknown> = {}): void {
    if (!this.directory.isSwitchDn(dn)) return;
    this.sink(dn, {
      message,
      ThisDN: dn,
      ConnID: call.connId,
      CallUUID: call.callUuid,
      CallType: call.callType,
      CallState: 0,
      UserData: call.userData,
      ...attributes,
    });
  }

  /** Sends a call event to every switch party (but `except`). */
  sendToParties(call: SimCall, message: string, attributes: (dn: string) => Record<string, unknown>, except?: string): void {
    for (const party of [...call.parties.values()]) {
      if (party.dn !== except && !party.external) this.send(call, party.dn, message, attributes(party.dn));
    }
  }

  announce(call: SimCall): void {
    this.sendToParties(call, 'EventAttachedDataChanged', () => ({}));
  }

  /** Ends the whole call: every switch party gets EventReleased (`first` before the others). */
  endCall(call: SimCall, first?: string): void {
    const order = [...call.parties.keys()].sort((a, b) => (a === first ? -1 : b === first ? 1 : 0));
    for (const dn of order) this.send(call, dn, 'EventReleased', { OtherDN: this.otherOf(call, dn) });
    this.deleteCall(call);
  }

  /** `dn` leaves a call that goes on; the others see EventPartyDeleted, then the recording indication. */
  leaveCall(call: SimCall, dn: string, deletedBy?: string): void {
    this.send(call, dn, 'EventReleased', { OtherDN: this.otherOf(call, dn) });
    call.parties.delete(dn);
    call.joining.delete(dn);
    this.sendToParties(call, 'EventPartyDeleted', () => ({
      ThirdPartyDN: dn,
      ThirdPartyDNRole: PartyRole.DeletedParty,
      ...(deletedBy ? { OtherDN: deletedBy, OtherDNRole: PartyRole.DeletedBy } : {}),
    }));
    this.recordings.onPartyLeft(call, dn, true);
  }

  // ---- operations ----

  /** Starts a call from `from` to `to`; the type follows from which ends are switch DNs unless given. */
  makeCall(input: { from: string; to: string; type?: string; userData?: KvList; trunk?: string }): SimCall {
    const { from, to } = input;
    if (typeof from !== 'string' || typeof to !== 'string' || from === to) throw new SimError('from and to must be two different numbers');
    const fromSwitch = this.directory.isSwitchDn(from);
    const toSwitch = this.directory.isSwitchDn(to);
    if (!fromSwitch && !toSwitch) throw new SimError('at least one end of a call must be a switch DN');
    const inferred: CallTypeName = fromSwitch && toSwitch ? 'Internal' : toSwitch ? 'Inbound' : 'Outbound';
    const typeName = input.type ? CALL_TYPES[input.type.toLowerCase()] : inferred;
    if (!typeName) throw new SimError('type must be inbound, outbound or internal');
    if (input.trunk !== undefined && this.directory.requireDn(input.trunk).type !== 'TrunkGroup') throw new SimError(`${input.trunk} is not a TrunkGroup DN`);
    const call = this.createCall(CallType[typeName], { trunk: input.trunk });
    Object.assign(call.userData, input.userData ?? {});
    this.addParty(call, from, 'Dialing', PartyRole.Origination);
    this.addParty(call, to, this.directory.dn(to)?.type === 'RoutingPoint' ? 'Queued' : 'Ringing', PartyRole.Destination);
    this.send(call, from, 'EventDialing', { OtherDN: to, ThisDNRole: PartyRole.Origination, OtherDNRole: PartyRole.Destination });
    this.send(call, to, 'EventRinging', { OtherDN: from, ThisDNRole: PartyRole.Destination, OtherDNRole: PartyRole.Origination });
    this.recordings.onCallCreated(call);
    return call;
  }

  /** `dn` answers (a ringing destination, or the external end of an outbound call). */
  answer(call: SimCall, dn: string): void {
    const party = this.requireParty(call, dn);
    if (party.state !== 'Ringing' && party.state !== 'Dialing') throw new SimError(`${dn} is ${party.state}, not ringing`, 409);
    party.state = 'Established';
    const originators = [...call.parties.values()].filter((p) => p.dn !== dn && p.state === 'Dialing');
    for (const p of originators) p.state = 'Established';
    this.send(call, dn, 'EventEstablished', { OtherDN: this.otherOf(call, dn), ThisDNRole: party.role });
    for (const p of originators) this.send(call, p.dn, 'EventEstablished', { OtherDN: dn, ThisDNRole: p.role });
    const addedBy = call.joining.get(dn);
    if (addedBy !== undefined) {
      call.joining.delete(dn);
      this.sendToParties(
        call,
        'EventPartyAdded',
        () => ({ ThirdPartyDN: dn, ThirdPartyDNRole: PartyRole.NewParty, OtherDN: addedBy, OtherDNRole: PartyRole.AddedBy }),
        dn,
      );
    }
    this.recordings.onEstablished(call, dn);
    for (const p of originators) this.recordings.onEstablished(call, p.dn);
  }

  hold(call: SimCall, dn: string): void {
    const party = this.requireParty(call, dn);
    if (party.state !== 'Established') throw new SimError(`${dn} is ${party.state}, not established`, 409);
    party.state = 'Held';
    this.send(call, dn, 'EventHeld', { OtherDN: this.otherOf(call, dn) });
  }

  retrieve(call: SimCall, dn: string): void {
    const party = this.requireParty(call, dn);
    if (party.state !== 'Held') throw new SimError(`${dn} is ${party.state}, not held`, 409);
    party.state = 'Established';
    this.send(call, dn, 'EventRetrieved', { OtherDN: this.otherOf(call, dn) });
  }

  /** `dn` hangs up (the call ends when fewer than two parties would remain); without `dn` the call ends. */
  release(call: SimCall, dn?: string): void {
    if (dn === undefined) {
      this.endCall(call);
      return;
    }
    this.requireParty(call, dn);
    if (call.parties.size - 1 < 2) this.endCall(call, dn);
    else this.leaveCall(call, dn);
  }

  /** Removes a party from a conference (`by` deletes it). */
  deleteParty(call: SimCall, dn: string, by?: string): void {
    this.requireParty(call, dn);
    if (call.parties.size - 1 < 2) this.endCall(call, dn);
    else this.leaveCall(call, dn, by);
  }

  attachUserData(call: SimCall, userData: KvList): void {
    if (userData === null || typeof userData !== 'object') throw new SimError('userData must be an object');
    Object.assign(call.userData, userData);
    this.announce(call);
  }

  /** ConnIDs may change across a switchover (CallUUIDs do not): gives every call a new ConnID. */
  reassignConnIds(): void {
    const calls = this.allCalls();
    this.calls.clear();
    const renamed = new Map<string, string>();
    for (const call of calls) {
      const connId = newConnId();
      renamed.set(call.connId, connId);
      call.connId = connId;
      this.calls.set(connId, call);
    }
    for (const call of calls) if (call.consultOf) call.consultOf = renamed.get(call.consultOf) ?? call.consultOf;
  }

  // ---- agents ----

  agentLogin(input: { dn: string; agentId: string; record?: boolean }): void {
    const agent = this.directory.login(input);
    this.sink(agent.dn, { message: 'EventAgentLogin', ThisDN: agent.dn, AgentID: agent.agentId });
  }

  agentLogout(dn: string): void {
    const agent = this.directory.logout(dn);
    this.sink(dn, { message: 'EventAgentLogout', ThisDN: dn, AgentID: agent.agentId });
  }

  /** Ready / NotReady, with the request's AgentWorkMode and Reasons (e.g. a not-ready reason code) carried on the event. */
  agentState(dn: string, state: 'Ready' | 'NotReady', details: { AgentWorkMode?: number; Reasons?: KvList } = {}): void {
    const agent = this.directory.agentOn(dn);
    if (!agent) throw new SimError(`no agent logged in on ${dn}`, 404);
    agent.state = state;
    this.sink(dn, { message: state === 'Ready' ? 'EventAgentReady' : 'EventAgentNotReady', ThisDN: dn, AgentID: agent.agentId, ...details });
  }

  reset(): void {
    this.calls.clear();
    this.directory.clear();
  }
}
