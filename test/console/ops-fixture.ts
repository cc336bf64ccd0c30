import request from 'supertest';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { createUser, type TestUser } from '../support/identity-fixtures';
import type { TestApp } from '../support/test-app';

/** One contact center an operator looks after: an agent with a connected recorder, a supervisor, a leaver. */
export interface OpsFixture {
  ccid: string;
  ccName: string;
  agent: TestUser;
  supervisor: TestUser;
  leaver: TestUser;
  recorder: RecorderClient;
  close(): Promise<void>;
}

export const RECORDER_HELLO = { clientVersion: '3.1.0', platform: 'windows-x64', hostname: 'NW-DESK-07' };

export async function createOpsFixture(rws: TestApp): Promise<OpsFixture> {
  const ccName = `Northwind support ${Date.now() % 100000}`;
  const created = await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: ccName, features: ['/api/api-voice-recording'] }).expect(200);
  const ccid = created.body.contactCenter.id as string;
  const [agent, supervisor, leaver] = await Promise.all([
    createUser(rws, ccid, 'nadia', { roles: ['agent'], agentId: 'a-nadia', agentHierarchy: '/EMEA/Support/nadia' }),
    createUser(rws, ccid, 'sven', { roles: ['supervisor'], accessGroups: ['/EMEA/Support'], permissions: ['decrypt'] }),
    createUser(rws, ccid, 'leaver', { roles: ['agent'], agentId: 'a-leaver' }),
  ]);
  const recorder = new RecorderClient({
    url: `${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`,
    authorization: agent.basic,
    hello: RECORDER_HELLO,
    reconnect: false,
  });
  await recorder.connect();
  return { ccid, ccName, agent, supervisor, leaver, recorder, close: () => recorder.close() };
}

/** An ops API read, as the test's own check of what the page did. */
export async function opsGet(rws: TestApp, path: string, status = 200): Promise<Record<string, unknown>> {
  return (await request(rws.url).get(path).set('Authorization', rws.opsAuth).expect(status)).body as Record<string, unknown>;
}
