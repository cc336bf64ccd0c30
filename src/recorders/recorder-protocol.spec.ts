import { parseClientFrame } from './recorder-protocol';

describe('parseClientFrame', () => {
  it('reads a hello, keeping only the known fields', () => {
    const parsed = parseClientFrame(JSON.stringify({
      type: 'hello', clientVersion: '1.2.3', platform: 'win-x64', hostname: 'pc1', place: 'Place_7001',
      devices: [{ dn: '7001', switch: 'SIP_Switch', extra: 1 }], injected: { admin: true },
    }));
    expect(parsed).toEqual({
      ok: true,
      message: { type: 'hello', clientVersion: '1.2.3', platform: 'win-x64', hostname: 'pc1', place: 'Place_7001', devices: [{ dn: '7001', switch: 'SIP_Switch' }] },
    });
  });

  it('refuses a hello with missing or oversized fields, or too many devices', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'hello', platform: 'x', hostname: 'h' }))).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(parseClientFrame(JSON.stringify({ type: 'hello', clientVersion: 'v'.repeat(300), platform: 'x', hostname: 'h' }))).toMatchObject({ ok: false });
    const devices = Array.from({ length: 17 }, (_, i) => ({ dn: String(i) }));
    expect(parseClientFrame(JSON.stringify({ type: 'hello', clientVersion: '1', platform: 'x', hostname: 'h', devices }))).toMatchObject({ ok: false });
    expect(parseClientFrame(JSON.stringify({ type: 'hello', clientVersion: '1', platform: 'x', hostname: 'h', devices: [{ dn: 7001 }] }))).toMatchObject({ ok: false });
  });

  it('reads acks and statuses and refuses malformed ones', () => {
    expect(parseClientFrame('{"type":"ack","commandId":"c1","ok":false,"error":"no capture"}')).toEqual({ ok: true, message: { type: 'ack', commandId: 'c1', ok: false, error: 'no capture' } });
    expect(parseClientFrame('{"type":"ack","commandId":"c1","ok":"yes"}')).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(parseClientFrame('{"type":"status","state":"paused","recordingId":"r1"}')).toEqual({ ok: true, message: { type: 'status', state: 'paused', recordingId: 'r1' } });
    expect(parseClientFrame('{"type":"status","state":"asleep"}')).toMatchObject({ ok: false, code: 'invalid-message' });
  });

  it('names what is wrong with frames that are not messages', () => {
    expect(parseClientFrame('nope')).toMatchObject({ ok: false, code: 'not-json' });
    expect(parseClientFrame('[1,2]')).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(parseClientFrame('null')).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(parseClientFrame('{"type":"reboot"}')).toMatchObject({ ok: false, code: 'unknown-type' });
    expect(parseClientFrame('{"kind":"hello"}')).toMatchObject({ ok: false, code: 'invalid-message' });
  });
});
