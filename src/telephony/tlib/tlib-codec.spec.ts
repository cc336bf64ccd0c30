import { randomBytes } from 'node:crypto';
import { decodeLine, encodeMessage, TlibLineDecoder } from './tlib-codec';

const event = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ message: 'EventEstablished', ThisDN: '7001', ConnID: '006c02462a161006', CallUUID: 'AM5D3AE9D90757BKTSVJTCIAR4000014', EventSequenceNumber: 5, ServerStartTime: 1763700000, ...extra });

describe('TlibLineDecoder', () => {
  it('splits lines across and within chunks, tolerating CRLF and blank lines', () => {
    const decoder = new TlibLineDecoder();
    const text = `${event()}\r\n\n${event({ EventSequenceNumber: 6 })}\n`;
    const out = [...decoder.push(Buffer.from(text.slice(0, 17))), ...decoder.push(Buffer.from(text.slice(17, 200))), ...decoder.push(Buffer.from(text.slice(200)))];
    expect(out.map((l) => l.kind)).toEqual(['message', 'message']);
    expect(out.map((l) => l.position?.sequenceNumber)).toEqual([5, 6]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('reports an oversized line once, skips it without buffering, and recovers at the next newline', () => {
    const decoder = new TlibLineDecoder(1000);
    const first = decoder.push(Buffer.from('x'.repeat(600)));
    const second = decoder.push(Buffer.from('y'.repeat(600)));
    const third = decoder.push(Buffer.from('z'.repeat(5000)));
    expect(first).toEqual([]);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('longer than 1000') });
    expect(third).toEqual([]);
    expect(decoder.bufferedBytes).toBe(0);
    const after = decoder.push(Buffer.from(`tail\n${event()}\n`));
    expect(after.map((l) => l.kind)).toEqual(['message']);
  });

  it('reports a complete line that is too long', () => {
    const decoder = new TlibLineDecoder(100);
    expect(decoder.push(Buffer.from(`${'a'.repeat(150)}\n${event({ UserData: {} }).slice(0, 0)}`))).toMatchObject([{ kind: 'invalid' }]);
  });

  it('never throws and never holds more than the limit, whatever the bytes', () => {
    const decoder = new TlibLineDecoder(4096);
    for (let i = 0; i < 2000; i++) {
      const chunk = randomBytes(1 + Math.floor(Math.random() * 3000));
      expect(() => decoder.push(chunk)).not.toThrow();
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(4096);
    }
  });
});

describe('decodeLine', () => {
  const decode = (text: string) => decodeLine(Buffer.from(text));

  it('accepts a valid event and keeps unknown attributes', () => {
    const line = decode(event({ Future: 1 }));
    expect(line).toMatchObject({ kind: 'message', message: { message: 'EventEstablished', Future: 1 }, position: { serverStartTime: 1763700000, sequenceNumber: 5 } });
  });

  it.each([
    ['not JSON', '{"message":'],
    ['not a JSON object', '[1,2]'],
    ['no message name', '{"ThisDN":"7001"}'],
    ['lacks ThisDN', event({ ThisDN: undefined })],
    ['ConnID is not a ConnID', event({ ConnID: 'not-hex!' })],
    ['ThisDN is not a DN', event({ ThisDN: '' })],
    ['EventSequenceNumber is not an integer', event({ EventSequenceNumber: '5' })],
    ['UserData is not a key-value list', event({ UserData: ['a'] })],
    ['nests too deep', event({ UserData: { a: { b: { c: { d: { e: 'x' } } } } } })],
    ['Calls holds a call without ConnID/CallUUID', JSON.stringify({ message: 'EventRegistered', ThisDN: '1', ReferenceID: 1, EventSequenceNumber: 1, ServerStartTime: 1, Calls: [{}] })],
  ])('rejects: %s', (reason, text) => {
    const line = decode(text);
    expect(line?.kind).toBe('invalid');
    expect((line as { reason: string }).reason).toContain(reason);
  });

  it('rejects invalid UTF-8', () => {
    expect(decodeLine(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toMatchObject({ kind: 'invalid', reason: 'not UTF-8' });
  });

  it('reports unknown messages with their position (they still count in the sequence)', () => {
    expect(decode('{"message":"EventNew","EventSequenceNumber":9,"ServerStartTime":3}')).toEqual({
      kind: 'unknown',
      name: 'EventNew',
      position: { serverStartTime: 3, sequenceNumber: 9 },
    });
  });

  it('keeps a position on invalid messages so that sequence tracking sees them', () => {
    expect(decode(event({ ConnID: 5 }))).toMatchObject({ kind: 'invalid', position: { sequenceNumber: 5 } });
  });

  it('round-trips encodeMessage', () => {
    const line = encodeMessage({ message: 'RequestRegisterAddress', ThisDN: '7001', ReferenceID: 3, RegisterMode: 'ModeShare' });
    expect(line.endsWith('\n')).toBe(true);
    expect(decodeLine(Buffer.from(line.trimEnd()))).toMatchObject({ kind: 'message', message: { ThisDN: '7001', ReferenceID: 3 } });
  });
});
