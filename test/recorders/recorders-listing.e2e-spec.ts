import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { createContactCenter, createUser, type TestUser } from '../support/identity-fixtures';
import { expectEventually, startTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/** The operator's list of connected recorders, through HTTP with recorders connected over the real WebSocket and identity. */
describe('ops: connected recorders', () => {
  let rws: TestApp;
  let ccid: string;
  let otherCcid: string;
  let agent: TestUser;
  let supervisor: TestUser;
  let recorder: RecorderClient;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    [ccid, otherCcid] = await Promise.all([createContactCenter(rws), createContactCenter(rws)]);
    [agent, supervisor] = await Promise.all([
      createUser(rws, ccid, 'rec-agent', { roles: ['agent'], agentId: `a-${randomUUID().slice(0, 6)}` }),
      createUser(rws, ccid, 'rec-sup', { roles: ['supervisor'], accessGroups: ['/'] }),
    ]);
    recorder = new RecorderClient({
      url: `${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`,
      authorization: agent.basic,
      hello: { clientVersion: '2.3.4', platform: 'linux-x64', hostname: 'desk-17' },
      reconnect: false,
    });
    await recorder.connect();
  });
  afterAll(async () => {
    await recorder?.close();
    await rws?.close();
  });

  it('lists who is connected, with version, platform and host, in their own contact center only', async () => {
    const res = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/recorders`).set('Authorization', rws.opsAuth).expect(200);
    expect(res.body.statusCode).toBe(0);
    expect(res.body.recorders).toEqual([
      expect.objectContaining({ userName: agent.userName, clientVersion: '2.3.4', platform: 'linux-x64', hostname: 'desk-17', connectedAt: expect.any(String) }),
    ]);
    const other = await request(rws.url).get(`/api/v2/ops/contact-centers/${otherCcid}/recorders`).set('Authorization', rws.opsAuth).expect(200);
    expect(other.body.recorders).toEqual([]);
  });

  it('drops a recorder once it disconnects', async () => {
    const second = new RecorderClient({
      url: `${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`,
      authorization: supervisor.basic,
      hello: { clientVersion: '2.3.5', platform: 'linux-x64', hostname: 'desk-18' },
      reconnect: false,
    });
    await second.connect();
    const listed = async () => (await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/recorders`).set('Authorization', rws.opsAuth).expect(200)).body.recorders as { userName: string }[];
    expect((await listed()).map((r) => r.userName).sort()).toEqual([agent.userName, supervisor.userName].sort());
    await second.close();
    await expectEventually(async () => expect((await listed()).map((r) => r.userName)).toEqual([agent.userName]));
  });

  it('refuses agents and supervisors (403, statusCode 5) and answers 404 for an unknown contact center', async () => {
    for (const user of [agent, supervisor]) {
      const res = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/recorders`).set('Authorization', user.basic).expect(403);
      expect(res.body.statusCode).toBe(5);
      expect(res.body.recorders).toBeUndefined();
    }
    const missing = await request(rws.url).get(`/api/v2/ops/contact-centers/${randomUUID()}/recorders`).set('Authorization', rws.opsAuth).expect(404);
    expect(missing.body.statusCode).toBe(6);
  });
});
