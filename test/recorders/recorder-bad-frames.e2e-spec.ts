import type { CommandMessage } from '../../src/recorders/recorder-protocol';
import type { RecorderClient } from '../../tools/recorder/recorder-client';
import { expectEventually } from '../support/test-app';
import { AGENTS, newCallUuid, nextEvent, RecorderTestBed } from './recorder-fixtures';

/**
 * Each misbehaving connection is dealt with on its own: alice's well-behaved recorder must stay connected
 * and keep receiving commands through all of it.
 */
describe('recorder channel: bad frames affect only their own connection', () => {
  const bed = new RecorderTestBed();
  let alice: RecorderClient;
  let aliceSession: string;

  beforeAll(async () => {
    await bed.start();
  });
  beforeEach(async () => {
    alice = bed.recorder('alice');
    aliceSession = (await alice.connect()).sessionId;
  });
  afterEach(async () => {
    // the bystander still works: same session, and a command round trip succeeds
    expect(bed.service.recorderOf(AGENTS.alice)?.sessionId).toBe(aliceSession);
    const call = newCallUuid();
    const command = nextEvent<CommandMessage>(alice, 'command', (c) => c.callUuid === call);
    bed.signal('started', 'alice', call);
    expect((await command).action).toBe('start');
    bed.signal('stopped', 'alice', call);
    await expectEventually(() => expect(alice.recording).toBeNull());
    await bed.cleanUp();
  }, 20_000);
  afterAll(() => bed.stop());

  it('answers a frame that is not JSON, an unknown type and a binary frame with error frames, and keeps the connection', async () => {
    const raw = await bed.rawSocket('Bearer token-bob');
    raw.hello();
    raw.send('this is not json {');
    raw.send({ type: 'teleport', where: 'mars' });
    raw.send({ no: 'type' });
    raw.send({ type: 'status', state: 'dancing' });
    raw.send(Buffer.from([1, 2, 3]));
    await expectEventually(() => expect(raw.ofType('error').map((e) => e.code)).toEqual(['not-json', 'unknown-type', 'invalid-message', 'invalid-message', 'binary-frame']));
    expect(raw.ofType('welcome')).toHaveLength(1);
    expect(raw.closed).toBeUndefined();
    expect(bed.service.recorderOf(AGENTS.bob)).toBeDefined();
  });

  it('ignores an ack for an unknown command without answering, and refuses acks before hello', async () => {
    const raw = await bed.rawSocket('Bearer token-bob');
    raw.send({ type: 'ack', commandId: 'before-hello', ok: true });
    raw.hello();
    raw.send({ type: 'ack', commandId: 'never-sent', ok: true });
    raw.send({ type: 'ack', commandId: 'never-sent-either', ok: false, error: 'whatever' });
    // a marker frame: its error arrives after anything the two acks could have caused
    raw.send('marker');
    await expectEventually(() => expect(raw.ofType('error').map((e) => e.code)).toEqual(['hello-required', 'not-json']));
    expect(raw.received.map((m) => m.type)).toEqual(['error', 'welcome', 'error']);
    expect(raw.closed).toBeUndefined();
  });

  it('closes a connection that sends a 10 MB frame with 1009, and only that one', async () => {
    const raw = await bed.rawSocket('Bearer token-bob');
    raw.hello();
    await expectEventually(() => expect(raw.ofType('welcome')).toHaveLength(1));
    raw.send(JSON.stringify({ type: 'status', state: 'idle', padding: 'x'.repeat(10 * 1024 * 1024) }));
    await expectEventually(() => expect(raw.closed?.code).toBe(1009));
    await expectEventually(() => expect(bed.service.recorderOf(AGENTS.bob)).toBeUndefined());
  });

  it('closes a connection that keeps sending garbage with 1003', async () => {
    const raw = await bed.rawSocket('Bearer token-bob');
    raw.hello();
    for (let i = 0; i < 12; i++) raw.send(`garbage ${i}`);
    await expectEventually(() => expect(raw.closed).toEqual({ code: 1003, reason: 'too many invalid frames' }));
    expect(raw.ofType('error')).toHaveLength(10);
  });

  it('refuses a hello that claims another agent than the credentials (1008), without touching that agent', async () => {
    const raw = await bed.rawSocket('Bearer token-bob');
    raw.hello({ userName: 'alice', agentId: '7001' });
    await expectEventually(() => expect(raw.closed?.code).toBe(1008));
    expect(raw.ofType('error')).toEqual([expect.objectContaining({ code: 'agent-mismatch' })]);
    expect(raw.ofType('welcome')).toEqual([]);
    expect(bed.service.recorderOf(AGENTS.bob)).toBeUndefined();
  });

  it('refuses a second hello on the same connection', async () => {
    const raw = await bed.rawSocket('Bearer token-bob');
    raw.hello();
    raw.hello();
    await expectEventually(() => expect(raw.ofType('error').map((e) => e.code)).toEqual(['already-greeted']));
    expect(raw.ofType('welcome')).toHaveLength(1);
  });
});
