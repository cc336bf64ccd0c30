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
  let app: TestApp;
  let people: IdentityFixture;

  beforeAll(async () => {
    app = await startTestApp(testConfig());
    people = await createIdentityFixture(app);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('the node announcing the start again answers for the recording: the detector does not stop it for the old node’s absence', async () => {
    const recordingId = randomUUID();
    const start = { recordingId, ccid: people.ccid, userName: people.alice.userName, agentId: 'a-alice', callUuid: `CALL${recordingId.slice(0, 8)}`, connId: '006c02462a161006', at: new Date().toISOString() };
    const recordings = app.app.get(ScreenRecordingsService);
    const store = app.app.get(ScreenRecordingStore);
    await recordings.started(start);
    // As written by a node instance that has since gone (its liveness lease is free).
    await store.modify(people.ccid, recordingId, (r) => ({ ...r, node: `gone-${randomUUID()}` }));
    // The new home's start of the same recording.
    await recordings.started(start);
    await app.app.get(ScreenMissingDetector).runOnce();
    expect((await store.get(people.ccid, recordingId))?.state).toBe('recording');
  });

  it('a recording nobody took over is still stopped by the detector when its node is gone', async () => {
    const recordingId = randomUUID();
    const start = { recordingId, ccid: people.ccid, userName: people.alice.userName, agentId: 'a-alice', callUuid: `CALL${recordingId.slice(0, 8)}`, connId: '006c02462a161006', at: new Date().toISOString() };
    const store = app.app.get(ScreenRecordingStore);
    await app.app.get(ScreenRecordingsService).started(start);
    await store.modify(people.ccid, recordingId, (r) => ({ ...r, node: `gone-${randomUUID()}` }));
    await app.app.get(ScreenMissingDetector).runOnce();
    expect((await store.get(people.ccid, recordingId))?.state).toBe('stopped');
  });
});
