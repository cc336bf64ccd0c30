import { expectEventually } from '../support/test-app';
import { AGENTS, nextEvent, RecorderTestBed } from './recorder-fixtures';

/** Heartbeats with a 250 ms period: silent recorders are cut, live ones kept, greetings awaited. */
describe('recorder channel: heartbeat', () => {
  const bed = new RecorderTestBed();

  beforeAll(() => bed.start({ RWS_RECORDER_HEARTBEAT_MS: '250' }));
  afterEach(() => bed.cleanUp());
  afterAll(() => bed.stop());

  it('terminates a recorder that stops answering pings, and counts it gone', async () => {
    const client = bed.recorder('bob', { autoPong: false, reconnect: false });
    await client.connect();
    const gone = await nextEvent<{ code: number }>(client, 'disconnected', () => true, 5000);
    // terminated without a closing handshake: an abnormal closure on the client side
    expect(gone.code).toBe(1006);
    expect(bed.service.recorderOf(AGENTS.bob)).toBeUndefined();
    const metrics = await (await fetch(`${bed.app.url}/metrics`)).text();
    expect(metrics).toMatch(/^rws_recorders_gone_total\{reason="heartbeat"\} [1-9]/m);
  });

  it('keeps a recorder that answers pings beyond several heartbeat periods', async () => {
    const client = bed.recorder('carol');
    const welcome = await client.connect();
    // four pings answered = well past the two-missed-pongs limit
    for (let i = 0; i < 4; i++) await nextEvent(client, 'ping');
    expect(client.connected).toBe(true);
    expect(bed.service.recorderOf(AGENTS.carol)?.sessionId).toBe(welcome.sessionId);
  });

  it('closes a connection that never says hello with 4408', async () => {
    const raw = await bed.rawSocket('Bearer token-carol');
    await expectEventually(() => expect(raw.closed).toEqual({ code: 4408, reason: 'hello expected' }), 5000);
  });
});
