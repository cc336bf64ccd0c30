import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { CommandMessage } from '../../src/recorders/recorder-protocol';
import { TusUploader } from '../../tools/recorder/tus-uploader';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { ScreenRulesBed } from './screen-rules-fixture';

/**
 * Issue 14 case 6: the screen recording's metadata exists before the start command leaves, so a recorder that
 * creates its upload the moment it is told to start (a very short recording) never gets 404. On Cassandra,
 * reached through a relay that adds latency: a metadata write that is still under way when the command
 * leaves is then always overtaken by the upload's read.
 */
describe('screen recording metadata before the start command (Cassandra, simulator, recorder over WebSocket)', () => {
  const bed = new ScreenRulesBed();
  const work = mkdtempSync(join(tmpdir(), 'rws-first-'));
  let cassandra: TcpProxy;

  beforeAll(async () => {
    const [host, port] = process.env.CASSANDRA_CONTACT_POINTS!.split(',')[0].split(':');
    cassandra = await TcpProxy.start({ host, port: Number(port) });
    // Users stay cached for the test, so the upload's authentication needs no store read of its own.
    await bed.start(testConfig({ metadata: 'cassandra', env: { CASSANDRA_CONTACT_POINTS: cassandra.address, RWS_USER_CACHE_SECONDS: '120' } }));
  }, 60_000);
  afterAll(async () => {
    await bed.stop();
    await cassandra?.close();
  });

  it('an upload created as soon as the start command arrives finds its screen recording, every time', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('first');
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const file = join(work, 'short.mp4');
    writeFileSync(file, randomBytes(4096));
    // A bearer token: the quickest authentication, so the upload creation follows the command as closely as it can.
    const token = await request(bed.app.url).post('/api/v2/auth/token').set('Authorization', agent.basic).expect(200);
    const uploader = new TusUploader({ baseUrl: bed.app.url, authorization: `Bearer ${token.body.access_token}`, retries: 0 });
    const uploads: Promise<string>[] = [];
    // Warm the caches of the upload path (its account), then slow the store down.
    await expect(uploader.create(file, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(/404/);
    recorder.on('command', (c: CommandMessage) => {
      if (c.action === 'start') uploads.push(uploader.create(file, c.recordingId));
    });
    cassandra.latencyMs = 40;

    for (let i = 0; i < 3; i++) {
      const call = await bed.answeredCall(dn);
      await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid }));
      await bed.release(call);
      await expectEventually(() => expect(recorder.recording).toBeNull());
    }
    expect(uploads).toHaveLength(3);
    const results = await Promise.allSettled(uploads);
    cassandra.latencyMs = 0;
    expect(results.map((r) => (r.status === 'fulfilled' ? 'created' : String(r.reason)))).toEqual(Array(3).fill('created'));
  });
});
