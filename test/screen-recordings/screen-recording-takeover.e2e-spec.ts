import { randomUUID } from 'node:crypto';
import { ScreenMissingDetector } from '../../src/screen-recordings/screen-missing-detector';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { ScreenRecordingsService } from '../../src/screen-recordings/screen-recordings.service';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * A screen recording created by a node that is gone (drained in a rolling restart, or killed), whose agent's
 * session another node took over and announced the same start: the missing-recording detector must leave it
 * recording (found by test/cluster/rolling-restart.e2e-spec.ts: it was stopped mid-call).
 */
describe('screen recording taken over by a new home', () => {
  const GRACE_MS = 1_000;
  let app: TestApp;
  let people: IdentityFixture;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_SCREEN_TAKEOVER_GRACE_SECONDS: String(GRACE_MS / 1000) } }));
    people = await createIdentityFixture(app);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  /** A recording started, then left by a node instance that has since gone (its liveness lease is free). */
  async function leftByGoneNode() {
    const recordingId = randomUUID();
    const start = { recordingId, ccid: people.ccid, userName: people.alice.userName, agentId: 'a-alice', callUuid: `CALL${recordingId.slice(0, 8)}`, connId: '006c02462a161006', at: new Date().toISOString() };
    const recordings = app.app.get(ScreenRecordingsService);
    const store = app.app.get(ScreenRecordingStore);
    await recordings.started(start);
    await store.modify(people.ccid, recordingId, (r) => ({ ...r, node: `gone-${randomUUID()}` }));
    return {
      /** The new home's start of the same recording. */
      takeOver: () => recordings.started(start),
      pass: () => app.app.get(ScreenMissingDetector).runOnce(),
      state: async () => (await store.get(people.ccid, recordingId))?.state,
    };
  }

  it('the node announcing the start again answers for the recording: the detector does not stop it for the old node’s absence', async () => {
    const recording = await leftByGoneNode();
    await recording.takeOver();
    await recording.pass();
    expect(await recording.state()).toBe('recording');
  });

  it('a pass between the old node’s exit and the takeover does not stop the recording (the takeover grace)', async () => {
    const recording = await leftByGoneNode();
    // The old node has exited; the new home has not announced the recording yet.
    await recording.pass();
    expect(await recording.state()).toBe('recording');
    await recording.takeOver();
    await sleep(GRACE_MS + 100);
    await recording.pass();
    expect(await recording.state()).toBe('recording');
  });

  it('a recording nobody took over is stopped by the detector once its node has been gone for the grace', async () => {
    const recording = await leftByGoneNode();
    await recording.pass();
    expect(await recording.state()).toBe('recording');
    await sleep(GRACE_MS + 100);
    await recording.pass();
    expect(await recording.state()).toBe('stopped');
  });
});
