import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { TlibLineDecoder } from '../../src/telephony/tlib/tlib-codec';
import type { CallInfo } from '../../src/telephony/tlib/tlib-messages';
import { expectEventually, FAST_LINK, quietLogger } from './telephony-harness';
import { InProcessRecordingEvents, RecordingEvent } from '../../src/telephony/recording-events';
import { SipServerEventSource } from '../../src/telephony/sip-server-event-source';

/** A hand-rolled "SIP Server" that speaks the protocol correctly when asked and writes anything it is told to. */
class HostileServer {
  private server: Server | undefined;
  readonly sockets: { socket: Socket; seq: number; registered: Set<string> }[] = [];
  readonly calls: CallInfo[] = [];
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((socket) => {
      const conn = { socket, seq: 0, registered: new Set<string>() };
      this.sockets.push(conn);
      socket.on('error', () => undefined);
      this.send(conn, { message: 'EventLinkConnected', ServerName: 'hostile' });
      const decoder = new TlibLineDecoder();
      socket.on('data', (chunk: Buffer) => {
        for (const line of decoder.push(chunk)) {
          if (line.kind !== 'message') continue;
          const m = line.message;
          if (m.message === 'RequestRegisterAddress') conn.registered.add(m.ThisDN as string);
          const answer = m.message === 'RequestRegisterAddress' ? 'EventRegistered' : m.message === 'RequestQueryAddress' ? 'EventAddressInfo' : 'EventACK';
          this.send(conn, { message: answer, ReferenceID: m.ReferenceID, ThisDN: m.ThisDN, Calls: this.calls });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server!.address() as { port: number }).port;
  }

  /** The newest connection on which the DN is registered. */
  current(dn: string): { socket: Socket; seq: number } | undefined {
    return [...this.sockets].reverse().find((c) => !c.socket.destroyed && c.registered.has(dn));
  }

  send(conn: { socket: Socket; seq: number }, message: Record<string, unknown>): void {
    conn.socket.write(JSON.stringify({ ...message, EventSequenceNumber: ++conn.seq, ServerStartTime: 1763700000 }) + '\n');
  }

  /** Writes raw bytes, numbered or not. */
  raw(conn: { socket: Socket; seq: number }, data: string | Buffer): void {
    conn.socket.write(data);
  }

  async stop(): Promise<void> {
    for (const c of this.sockets) c.socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('link fuzzing: malformed, truncated, oversized and unknown input', () => {
  let server: HostileServer;
  let source: SipServerEventSource;
  const recordings: RecordingEvent[] = [];
  let probe = 0;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = new HostileServer();
    await server.start();
    const bus = new InProcessRecordingEvents();
    bus.subscribe((e) => {
      if (e.kind === 'recording') recordings.push(e);
    });
    source = new SipServerEventSource(
      { addresses: [{ host: '127.0.0.1', port: server.port }], logger: quietLogger, resyncDelayMs: 10, link: { ...FAST_LINK, maxLineBytes: 1024 * 1024 } },
      bus,
    );
    await source.start();
    await expectEventually(() => source.isUp());
    expect((await source.monitor('7301', 'fuzzer')).state).toBe('registered');
  });

  afterAll(async () => {
    await source.stop();
    await server.stop();
  });

  /** After each assault the link must still turn a valid announcement into a domain event. */
  async function stillWorks(): Promise<void> {
    const callUuid = `PROBE${String(++probe).padStart(27, '0')}`;
    const connId = `00000000000000${String(probe).padStart(2, '0')}`;
    const fileName = `${callUuid}_7301_1`;
    server.calls.push({ ConnID: connId, CallUUID: callUuid, CallType: 2, Parties: [{ DN: '7301', State: 'Established' }], UserData: { GSIP_RECORD: 'ON', GSIP_REC_FN: fileName }, Recordings: [{ DN: '7301', State: 'ON', FileName: fileName }] });
    await expectEventually(() => expect(source.isUp() && source.registry.status('7301')?.state === 'registered' && server.current('7301')).toBeTruthy());
    const conn = server.current('7301')!;
    server.raw(conn, '\n'); // ends whatever partial line the assault left behind
    server.send(conn, { message: 'EventAttachedDataChanged', ThisDN: '7301', ConnID: connId, CallUUID: callUuid, UserData: { GSIP_RECORD: 'on', GSIP_REC_FN: fileName } });
    await expectEventually(() => expect(recordings.some((r) => r.callUuid === callUuid && r.type === 'started')).toBe(true));
  }

  it('random bytes', async () => {
    const conn = server.current('7301')!;
    for (let i = 0; i < 50; i++) server.raw(conn, randomBytes(1 + Math.floor(Math.random() * 2000)));
    await stillWorks();
    expect(source.link.stats.invalid).toBeGreaterThan(0);
  });

  it('truncated lines', async () => {
    const conn = server.current('7301')!;
    const valid = JSON.stringify({ message: 'EventEstablished', ThisDN: '7301', ConnID: 'abcdef0123456789', CallUUID: 'X'.repeat(32), UserData: { a: 'b' }, EventSequenceNumber: 1, ServerStartTime: 1 });
    for (let cut = 1; cut < valid.length; cut += 7) server.raw(conn, valid.slice(0, cut) + '\n');
    await stillWorks();
  });

  it('a 10 MB line', async () => {
    const before = source.link.stats.invalid;
    // Growth, not the absolute size: the jest worker this runs in has held other suites before.
    const rssBefore = process.memoryUsage().rss;
    const conn = server.current('7301')!;
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 10; i++) server.raw(conn, chunk);
    server.raw(conn, '\n');
    await stillWorks();
    expect(source.link.stats.invalid).toBeGreaterThan(before);
    // The link drops an oversized line instead of buffering it whole (10 MB sent; a buffer would keep several copies).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('unknown messages (numbered) are skipped without a gap', async () => {
    const gaps = source.link.stats.gaps;
    const conn = server.current('7301')!;
    for (let i = 0; i < 20; i++) server.send(conn, { message: `EventFromTheFuture${i}`, ThisDN: '7301', Whatever: [1, 2, 3] });
    await stillWorks();
    expect(source.link.stats.unknown).toBeGreaterThanOrEqual(20);
    expect(source.link.stats.gaps).toBe(gaps);
  });

  it('known messages with wrong types, missing attributes, hostile shapes', async () => {
    const conn = server.current('7301')!;
    const bad: Record<string, unknown>[] = [
      { message: 'EventEstablished', ThisDN: '7301', ConnID: 123, CallUUID: 'X' },
      { message: 'EventEstablished', ThisDN: { dn: '7301' }, ConnID: '01', CallUUID: 'X' },
      { message: 'EventAttachedDataChanged', ThisDN: '7301', ConnID: '01', CallUUID: 'X', UserData: [1, 2] },
      { message: 'EventAttachedDataChanged', ThisDN: '7301', ConnID: '01', CallUUID: 'X', UserData: { GSIP_RECORD: { nested: 'ON' } } },
      { message: 'EventRegistered', ThisDN: '7301', ReferenceID: 99999, Calls: 'all of them' },
      { message: 'EventRegistered', ThisDN: '7301', ReferenceID: 99998, Calls: [{ ConnID: 'zz', CallUUID: 1, Parties: null }] },
      { message: 'EventReleased', ThisDN: '7301', CallUUID: 'X' },
      { message: 'EventACK', ReferenceID: 'one' },
      { message: 42 },
    ];
    for (const m of bad) server.send(conn, m);
    server.raw(conn, `{"message":"EventRinging","ThisDN":"7301","ConnID":"01","CallUUID":"X","UserData":{"__proto__":{"polluted":true}},"EventSequenceNumber":${++conn.seq},"ServerStartTime":1763700000}\n`);
    server.raw(conn, `${'['.repeat(100_000)}\n`);
    server.raw(conn, '"just a string"\n[1,2,3]\nnull\n\n\r\n');
    await stillWorks();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a flood of garbage makes the link reconnect, then it works again', async () => {
    const connects = source.link.stats.connects;
    const conn = server.current('7301')!;
    server.raw(conn, 'not json\n'.repeat(500));
    await expectEventually(() => expect(source.link.stats.connects).toBeGreaterThan(connects));
    await stillWorks();
  });
});
