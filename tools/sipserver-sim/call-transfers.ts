import { CallType, KvList, PartyRole, UserDataKey } from '../../src/telephony/tlib/tlib-messages';
import type { CallModel } from './call-model';
import { SimCall, SimError } from './sim-types';

/**
 * Transfers, consultations, conferences and routing on top of the call model. The event sequences follow
 * T-Library: a single-step transfer keeps the ConnID; completing a two-step transfer or conference moves the
 * consulted party onto the main call with EventPartyChanged (ConnID = main call, PreviousConnID = consult call).
 */
export class CallTransfers {
  constructor(private readonly model: CallModel) {}

  /** `from` sends the call to `to` in one step; `to` rings on the same ConnID. */
  singleStepTransfer(call: SimCall, from: string, to: string): void {
    const { model } = this;
    model.requireParty(call, from);
    this.requireSwitchDn(to);
    if (call.parties.has(to)) throw new SimError(`${to} is already a party of the call`, 409);
    const other = model.otherOf(call, from);
    model.send(call, from, 'EventReleased', { OtherDN: other, ThirdPartyDN: to });
    call.parties.delete(from);
    model.addParty(call, to, model.directory.dn(to)?.type === 'RoutingPoint' ? 'Queued' : 'Ringing', PartyRole.Destination);
    model.send(call, to, 'EventRinging', { OtherDN: other, ThirdPartyDN: from, ThirdPartyDNRole: PartyRole.TransferredBy });
    model.sendToParties(call, 'EventPartyChanged', () => ({ OtherDN: to, ThirdPartyDN: from, ThirdPartyDNRole: PartyRole.TransferredBy }), to);
    model.recordings.onPartyLeft(call, from, true);
  }

  /** `from` puts the call on hold and consults `to` on a new call (CallType Consult). */
  consult(call: SimCall, from: string, to: string): SimCall {
    const { model } = this;
    const party = model.requireParty(call, from);
    this.requireSwitchDn(to);
    if (party.state === 'Established') model.hold(call, from);
    const consult = model.createCall(CallType.Consult, { consultOf: call.connId });
    // Attached data travels to the consult call, but not the main call's recording indication.
    for (const [key, value] of Object.entries(call.userData)) {
      if (!key.startsWith('GSIP_') && key !== UserDataKey.Partitions) consult.userData[key] = value;
    }
    model.addParty(consult, from, 'Dialing', PartyRole.Origination);
    model.addParty(consult, to, 'Ringing', PartyRole.Destination);
    model.send(consult, from, 'EventDialing', { OtherDN: to, TransferConnID: call.connId, ThisDNRole: PartyRole.Origination });
    model.send(consult, to, 'EventRinging', { OtherDN: from, TransferConnID: call.connId, ThisDNRole: PartyRole.Destination });
    return consult;
  }

  /** Completes a two-step transfer: `from` leaves both calls, the consulted party takes its place. */
  completeTransfer(consult: SimCall, from: string): SimCall {
    const { model } = this;
    const { main, target } = this.consultParts(consult, from);
    model.send(consult, from, 'EventReleased', { OtherDN: target });
    consult.parties.delete(from);
    model.deleteCall(consult);
    model.send(main, from, 'EventReleased', { OtherDN: model.otherOf(main, from), ThirdPartyDN: target });
    main.parties.delete(from);
    model.addParty(main, target, 'Established', PartyRole.Destination);
    model.send(main, target, 'EventPartyChanged', {
      PreviousConnID: consult.connId,
      OtherDN: model.otherOf(main, target),
      ThirdPartyDN: from,
      ThirdPartyDNRole: PartyRole.TransferredBy,
    });
    model.sendToParties(main, 'EventPartyChanged', () => ({ OtherDN: target, ThirdPartyDN: from, ThirdPartyDNRole: PartyRole.TransferredBy }), target);
    model.recordings.onPartyLeft(main, from, true);
    model.recordings.onEstablished(main, target);
    return main;
  }

  /** Completes a two-step conference: the consulted party joins the main call, `from` retrieves it. */
  completeConference(consult: SimCall, from: string): SimCall {
    const { model } = this;
    const { main, target } = this.consultParts(consult, from);
    model.send(consult, from, 'EventReleased', { OtherDN: target });
    consult.parties.delete(from);
    model.deleteCall(consult);
    model.addParty(main, target, 'Established', PartyRole.ConferenceMember);
    model.send(main, target, 'EventPartyChanged', {
      PreviousConnID: consult.connId,
      OtherDN: from,
      ThirdPartyDN: from,
      ThirdPartyDNRole: PartyRole.AddedBy,
    });
    model.sendToParties(
      main,
      'EventPartyAdded',
      () => ({ ThirdPartyDN: target, ThirdPartyDNRole: PartyRole.NewParty, OtherDN: from, OtherDNRole: PartyRole.AddedBy }),
      target,
    );
    if (main.parties.get(from)?.state === 'Held') model.retrieve(main, from);
    model.recordings.onEstablished(main, target);
    return main;
  }

  /** Single-step conference: `to` rings on the call and joins when it answers. */
  singleStepConference(call: SimCall, from: string, to: string): void {
    const { model } = this;
    model.requireParty(call, from);
    this.requireSwitchDn(to);
    model.addParty(call, to, 'Ringing', PartyRole.ConferenceMember);
    call.joining.set(to, from);
    model.send(call, to, 'EventRinging', { OtherDN: from, ThirdPartyDN: from, ThirdPartyDNRole: PartyRole.AddedBy });
  }

  /**
   * TRouteCall from the routing point where the call waits to `to`, with the strategy's Extensions:
   * `record=destination` records `to` once connected, `disable_destination` stops/suppresses destination
   * recording, `source` records the caller; `id`, `dest`, `partitions` travel with the recording.
   */
  route(call: SimCall, to: string, extensions: KvList = {}, from?: string): void {
    const { model } = this;
    this.requireSwitchDn(to);
    const rp = from ?? [...call.parties.values()].find((p) => model.directory.dn(p.dn)?.type === 'RoutingPoint')?.dn;
    if (!rp || !call.parties.has(rp)) throw new SimError('the call is not waiting on a routing point', 409);
    const record = typeof extensions.record === 'string' ? extensions.record.toLowerCase() : undefined;
    model.send(call, rp, 'EventReleased', { OtherDN: to, ThirdPartyDN: to });
    call.parties.delete(rp);
    if (record === 'destination') {
      call.route = { mode: 'destination', destination: to, extensions };
      call.suppressed.delete(to);
    } else if (record === 'disable_destination') {
      call.route = { mode: 'disable_destination', destination: to, extensions };
      call.suppressed.add(to);
      model.recordings.disableSelective(call);
    } else if (record === 'source') {
      model.recordings.startSource(call, extensions);
    } else if (record !== undefined) {
      throw new SimError('extensions.record must be destination, disable_destination or source');
    }
    const caller = [...call.parties.values()].find((p) => p.role === PartyRole.Origination)?.dn;
    model.addParty(call, to, model.directory.dn(to)?.type === 'RoutingPoint' ? 'Queued' : 'Ringing', PartyRole.Destination);
    model.send(call, to, 'EventRinging', { OtherDN: caller, ThirdPartyDN: rp, ThisDNRole: PartyRole.Destination });
  }

  private consultParts(consult: SimCall, from: string): { main: SimCall; target: string } {
    const { model } = this;
    if (consult.callType !== CallType.Consult || !consult.consultOf) throw new SimError(`${consult.connId} is not a consult call`, 409);
    const main = model.find(consult.consultOf);
    if (!main) throw new SimError('the consulted-from call has ended', 409);
    model.requireParty(consult, from);
    model.requireParty(main, from);
    const target = [...consult.parties.keys()].find((dn) => dn !== from);
    if (!target) throw new SimError('the consult call has no other party', 409);
    if (consult.parties.get(target)?.state !== 'Established') throw new SimError(`${target} has not answered the consult call`, 409);
    return { main, target };
  }

  private requireSwitchDn(dn: string): void {
    if (typeof dn !== 'string' || !this.model.directory.isSwitchDn(dn)) throw new SimError(`${dn} is not a switch DN`, 404);
  }
}
