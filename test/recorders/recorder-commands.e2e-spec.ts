import type { CommandMessage } from '../../src/recorders/recorder-protocol';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import type { LocalRecording } from '../../tools/recorder/recorder-client';
import { expectEventually } from '../support/test-app';
import { AGENTS, newCallUuid, nextEvent, RecorderTestBed } from './recorder-fixtures';

describe('recorder channel: commands follow voice recording', () => {
  const bed = new RecorderTestBed();

  beforeAll(() => bed.start());
  afterEach(() => bed.cleanUp());
  afterAll(() => bed.stop());

  it('drives start, pause, resume and stop of one screen recording, each acknowledged', async () => {
    const client = bed.recorder('alice');
    const commands: CommandMessage[] = [];
    client.on('command', (c: CommandMessage) => commands.push(c));
    await client.connect();
    const call = newCallUuid();

    bed.signal('started', 'alice', call, { partitions: ['/sales'] });
    await expectEventually(() => expect(client.recording).toMatchObject({ callUuid: call, state: 'recording' }));
    const recordingId = client.recording!.recordingId;
    expect(commands[0]).toEqual({
      type: 'command',
      commandId: expect.any(String),
      action: 'start',
      recordingId,
      callUuid: call,
      connId: `conn-${call.slice(-4)}`,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // the id was created by RWS and announced to the metadata port for linking the upload later
    const store = bed.app.app.get(ScreenRecordingStore);
    await expectEventually(async () =>
      expect(await store.get(AGENTS.alice.ccid, recordingId)).toMatchObject({ ccid: AGENTS.alice.ccid, userName: 'alice', agentId: '7001', callUuid: call, partitions: ['/sales'] }),
    );

    bed.signal('paused', 'alice', call);
    await expectEventually(() => expect(client.recording).toEqual({ recordingId, callUuid: call, state: 'paused' }));
    bed.signal('resumed', 'alice', call);
    await expectEventually(() => expect(client.recording).toEqual({ recordingId, callUuid: call, state: 'recording' }));
    const finished = nextEvent<{ recordingId: string }>(client, 'finished');
    bed.signal('stopped', 'alice', call);
    expect((await finished).recordingId).toBe(recordingId);
    expect(client.recording).toBeNull();

    expect(commands.map((c) => `${c.action} ${c.recordingId === recordingId}`)).toEqual(['start true', 'pause true', 'resume true', 'stop true']);
    await expectEventually(() => expect(bed.service.recorderOf(AGENTS.alice)?.pendingCommand).toBeUndefined());
    expect(bed.service.recorderOf(AGENTS.alice)?.lastStatus).toEqual({ state: 'idle', recordingId: undefined });
    const metrics = await (await fetch(`${bed.app.url}/metrics`)).text();
    expect(metrics).toMatch(/^rws_recorder_commands_sent_total\{action="pause"\} [1-9]/m);
    expect(metrics).toMatch(/^rws_recorder_commands_acked_total\{outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^rws_recorder_command_ack_seconds_count [1-9]/m);
  });

  it('resends an unacknowledged command with the same id until the recorder acks it', async () => {
    const client = bed.recorder('bob', { autoAck: false });
    const received: CommandMessage[] = [];
    client.on('command', (c: CommandMessage) => received.push(c));
    await client.connect();
    const call = newCallUuid();
    bed.signal('started', 'bob', call);
    await expectEventually(() => expect(received.length).toBeGreaterThanOrEqual(3), 3000);
    expect(new Set(received.map((c) => c.commandId)).size).toBe(1);
    expect(bed.service.recorderOf(AGENTS.bob)?.pendingCommand?.attempts).toBeGreaterThanOrEqual(3);

    client.sendRaw(JSON.stringify({ type: 'ack', commandId: received[0].commandId, ok: true }));
    await expectEventually(() => expect(bed.service.recorderOf(AGENTS.bob)?.pendingCommand).toBeUndefined());
    const count = received.length;
    // a newer command supersedes: pause goes out, start is never resent again
    bed.signal('paused', 'bob', call);
    await expectEventually(() => expect(received.length).toBeGreaterThanOrEqual(count + 2), 3000);
    expect(received.slice(count).every((c) => c.action === 'pause')).toBe(true);
    bed.signal('stopped', 'bob', call);
  });

  it('converges a recorder that was offline while the call ended: the snapshot is empty and it stops', async () => {
    const client = bed.recorder('alice');
    await client.connect();
    const call = newCallUuid();
    bed.signal('started', 'alice', call);
    await expectEventually(() => expect(client.recording?.state).toBe('recording'));
    const recordingId = client.recording!.recordingId;

    await client.disconnect();
    // PCI fail safe: offline means paused until RWS says otherwise
    expect(client.recording).toEqual({ recordingId, callUuid: call, state: 'paused' });
    bed.signal('stopped', 'alice', call);
    expect(bed.service.desiredFor(AGENTS.alice)).toBeNull();

    const finished = nextEvent<{ recordingId: string }>(client, 'finished');
    const welcome = await client.connect();
    expect(welcome.desired).toBeNull();
    expect((await finished).recordingId).toBe(recordingId);
    expect(client.recording).toBeNull();
  });

  it('resumes the same recording id when a recorder reconnects mid-call (no duplicate recording)', async () => {
    const client = bed.recorder('carol');
    const starts: CommandMessage[] = [];
    client.on('command', (c: CommandMessage) => c.action === 'start' && starts.push(c));
    await client.connect();
    const call = newCallUuid();
    bed.signal('started', 'carol', call);
    await expectEventually(() => expect(client.recording?.state).toBe('recording'));
    const recordingId = client.recording!.recordingId;

    const paused = nextEvent<LocalRecording>(client, 'state', (s) => s?.state === 'paused');
    const welcomed = nextEvent<{ desired: unknown }>(client, 'welcome');
    client.dropConnection();
    await paused;
    expect((await welcomed).desired).toEqual({ recordingId, callUuid: call, state: 'recording' });
    await expectEventually(() => expect(client.recording).toEqual({ recordingId, callUuid: call, state: 'recording' }));
    expect(starts).toHaveLength(1);
    bed.signal('stopped', 'carol', call);
  });

  it('tells a recorder that reconnects while the call is paused to stay paused', async () => {
    const client = bed.recorder('alice');
    await client.connect();
    const call = newCallUuid();
    bed.signal('started', 'alice', call);
    await expectEventually(() => expect(client.recording?.state).toBe('recording'));
    await client.disconnect();
    bed.signal('paused', 'alice', call);
    const welcome = await client.connect();
    expect(welcome.desired).toMatchObject({ callUuid: call, state: 'paused' });
    expect(client.recording?.state).toBe('paused');
    bed.signal('stopped', 'alice', call);
  });

  it('ignores non-voice interactions of a blended agent', async () => {
    const client = bed.recorder('carol');
    await client.connect();
    bed.signal('started', 'carol', newCallUuid(), { mediaType: 'chat' });
    expect(bed.service.desiredFor(AGENTS.carol)).toBeNull();
    expect(bed.service.recorderOf(AGENTS.carol)?.pendingCommand).toBeUndefined();
  });

  it('corrects a recorder whose status says it records what RWS wants stopped', async () => {
    const raw = await bed.rawSocket('Bearer token-alice');
    raw.hello();
    await expectEventually(() => expect(raw.ofType('welcome')).toHaveLength(1));
    raw.send({ type: 'status', state: 'recording', recordingId: 'stale-recording' });
    await expectEventually(() => expect(raw.ofType('command')).toEqual([expect.objectContaining({ action: 'stop', recordingId: 'stale-recording' })]));
  });

  it('rebuilds desired state from a telephony snapshot, keeping the recording id of a surviving call', async () => {
    const client = bed.recorder('alice');
    await client.connect();
    const survivor = newCallUuid();
    bed.signal('started', 'alice', survivor);
    await expectEventually(() => expect(client.recording?.state).toBe('recording'));
    const recordingId = client.recording!.recordingId;
    bed.service.onFullSnapshot([{ agent: AGENTS.alice, recordings: [{ callUuid: survivor, connId: 'conn-after-switchover', state: 'paused' }] }]);
    await expectEventually(() => expect(client.recording).toEqual({ recordingId, callUuid: survivor, state: 'paused' }));
    bed.service.onFullSnapshot([]);
    await expectEventually(() => expect(client.recording).toBeNull());
  });
});
