import { CallModel, SimEvent } from './call-model';
import { CallTransfers } from './call-transfers';

function setup(recordCase: 'upper' | 'capitalized' = 'upper') {
  const sent: { dn: string; event: SimEvent }[] = [];
  const model = new CallModel((dn, event) => sent.push({ dn, event: JSON.parse(JSON.stringify(event)) as SimEvent }), recordCase);
  const transfers = new CallTransfers(model);
  for (const dn of ['7001', '7002', '7003']) model.directory.upsertDn({ number: dn, record: dn === '7001' });
  const names = () => sent.map((s) => `${s.dn}:${s.event.message}`);
  return { model, transfers, sent, names };
}

describe('simulator call model', () => {
  it('announces a full-time recording after EventEstablished, and ends it silently with the call', () => {
    const { model, sent, names } = setup();
    const call = model.makeCall({ from: '+15550001', to: '7001' });
    model.answer(call, '7001');
    expect(names()).toEqual(['7001:EventRinging', '7001:EventEstablished', '7001:EventAttachedDataChanged']);
    const data = sent[2].event.UserData as Record<string, string>;
    expect(data.GSIP_RECORD).toBe('ON');
    expect(data.GSIP_REC_FN.startsWith(`${call.callUuid}_7001_`)).toBe(true);
    model.release(call, '7001');
    expect(names().slice(3)).toEqual(['7001:EventReleased']);
    expect(model.allCalls()).toEqual([]);
  });

  it('completes a two-step transfer with EventPartyChanged (PreviousConnID) and an OFF for the party that left', () => {
    const { model, transfers, sent, names } = setup();
    const call = model.makeCall({ from: '+15550001', to: '7001' });
    model.answer(call, '7001');
    const consult = transfers.consult(call, '7001', '7002');
    expect(consult.userData.GSIP_RECORD).toBeUndefined();
    model.answer(consult, '7002');
    sent.length = 0;
    transfers.completeTransfer(consult, '7001');
    expect(names()).toEqual(['7001:EventReleased', '7001:EventReleased', '7002:EventPartyChanged', '7002:EventAttachedDataChanged']);
    const changed = sent[2].event;
    expect(changed).toMatchObject({ ConnID: call.connId, PreviousConnID: consult.connId, CallUUID: call.callUuid, ThirdPartyDN: '7001', ThirdPartyDNRole: 7 });
    expect((sent[3].event.UserData as Record<string, string>).GSIP_RECORD).toBe('OFF');
    expect(model.find(consult.connId)).toBeUndefined();
  });

  it('answers private services with the documented refusals', () => {
    const { model } = setup('capitalized');
    const call = model.makeCall({ from: '+15550001', to: '7002' });
    const engine = model.recordings;
    expect(engine.privateService(call, '7002', 9999)).toMatchObject({ ok: false, errorCode: 108 });
    expect(engine.privateService(undefined, '7002', 3013)).toMatchObject({ ok: false, errorCode: 100 });
    expect(engine.privateService(call, '7002', 3013)).toMatchObject({ ok: false, errorCode: 106 });
    model.answer(call, '7002');
    expect(engine.privateService(call, '7003', 3013)).toMatchObject({ ok: false, errorCode: 106 });
    expect(engine.privateService(call, '7002', 3015)).toMatchObject({ ok: false, errorCode: 102 });
    const start = engine.privateService(call, '7002', 3013, { record: 'source', partitions: '/sales' });
    expect(start.ok).toBe(true);
    if (start.ok) start.apply();
    expect(call.userData).toMatchObject({ GSIP_RECORD: 'On', GRECORD_PARTITIONS: '/sales' });
    expect(engine.privateService(call, '7002', 3013)).toMatchObject({ ok: false, errorCode: 103 });
    expect(engine.privateService(call, '7002', 3016)).toMatchObject({ ok: false, errorCode: 105 });
    const pause = engine.privateService(call, '7002', 3015);
    if (pause.ok) pause.apply();
    expect(call.userData.GSIP_RECORD).toBe('Paused');
    expect(engine.privateService(call, '7002', 3015)).toMatchObject({ ok: false, errorCode: 104 });
    // record=destination records the other party.
    const other = engine.privateService(call, '7002', 3013, { record: 'destination' });
    if (other.ok) other.apply();
    expect([...call.recordings.keys()].sort()).toEqual(['+15550001', '7002']);
  });

  it('keeps CallUUIDs and consult links when ConnIDs are reassigned', () => {
    const { model, transfers } = setup();
    const call = model.makeCall({ from: '+15550001', to: '7001' });
    model.answer(call, '7001');
    const consult = transfers.consult(call, '7001', '7002');
    const uuids = [call.callUuid, consult.callUuid];
    const before = call.connId;
    model.reassignConnIds();
    expect(call.connId).not.toBe(before);
    expect(model.find(call.callUuid)).toBe(call);
    expect(consult.consultOf).toBe(call.connId);
    expect(model.allCalls().map((c) => c.callUuid).sort()).toEqual(uuids.sort());
  });
});
