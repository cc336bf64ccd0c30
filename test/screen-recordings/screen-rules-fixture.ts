import request from 'supertest';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import type { AppConfig } from '../../src/config/app-config';
import type { WelcomeMessage } from '../../src/recorders/recorder-protocol';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { runCommand } from '../../tools/sipserver-sim';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Sim = Parameters<typeof runCommand>[0];

/** A call the simulator placed and the agent answered. */
export interface AnsweredCall {
  connId: string;
  callUuid: string;
}

let dnCounter = 0;

/** The ops API attributes of a test agent (a PUT replaces all of them, so tests rebuild them from here). */
export function agentAttributes(prefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { roles: ['agent'], agentId: `a-${prefix}`, agentHierarchy: '/EMEA/rules', ...extra };
}

/**
 * The production wiring (real identity, recorders, telephony with the in-process simulator, stores) plus
 * helpers that act as the agent's desktop (HTTP), the operator (ops API), the SIP Server (control surface)
 * and the agent's screen recorder (the reference client over the real WebSocket).
 */
export class ScreenRulesBed {
  app!: TestApp;
  ccid!: string;
  processor!: TestUser;
  sim!: Sim;
  private readonly recorders: RecorderClient[] = [];
  private readonly dnBase = 5000 + Math.floor(Math.random() * 4000);

  async start(config: AppConfig, ccid?: string): Promise<this> {
    this.app = await startTestApp(config);
    this.sim = this.app.app.get(EmbeddedSimulator).simulator!.sim;
    if (ccid) {
      this.ccid = ccid;
    } else {
      this.ccid = await createContactCenter(this.app);
      await request(this.app.url)
        .post(`/api/v2/ops/contact-centers/${this.ccid}/features`)
        .set('Authorization', this.app.opsAuth)
        .send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] })
        .expect(200);
    }
    this.processor = await createUser(this.app, this.ccid, 'rules-rp', { kind: 'service' });
    return this;
  }

  /** A fresh DN of this contact center (ops API) that the simulator records full-time. */
  async recordedDn(): Promise<string> {
    const dn = String(this.dnBase + dnCounter++ * 7);
    await request(this.app.url).post(`/api/v2/ops/contact-centers/${this.ccid}/dns`).set('Authorization', this.app.opsAuth).send({ dn }).expect(200);
    await runCommand(this.sim, 'dn', { number: dn, record: true });
    return dn;
  }

  agent(prefix: string, extra: Record<string, unknown> = {}): Promise<TestUser> {
    return createUser(this.app, this.ccid, prefix, agentAttributes(prefix, extra));
  }

  /** The desktop's StartContactCenterSession. */
  async startSession(agent: TestUser, ...dns: string[]): Promise<void> {
    await request(this.app.url).post('/api/v2/me').set('Authorization', agent.basic).send({ operationName: 'StartContactCenterSession', devices: dns.map((dn) => ({ dn })) }).expect(200);
  }

  async endSession(agent: TestUser): Promise<void> {
    await request(this.app.url).post('/api/v2/me').set('Authorization', agent.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);
  }

  /** The agent's recorder, connected (hello without devices: the desktop owns the session). */
  async recorder(agent: TestUser): Promise<{ recorder: RecorderClient; welcome: WelcomeMessage }> {
    const recorder = new RecorderClient({
      url: `${this.app.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`,
      authorization: agent.basic,
      hello: { clientVersion: '1.0.0', platform: 'test-os', hostname: `${agent.userName}-pc` },
      initialBackoffMs: 50,
      maxBackoffMs: 200,
    });
    this.recorders.push(recorder);
    const welcome = await recorder.connect();
    return { recorder, welcome };
  }

  /** A customer calls `dn` and the agent answers: full-time recording starts. */
  async answeredCall(dn: string): Promise<AnsweredCall> {
    const call = (await runCommand(this.sim, 'call', { from: '+16175550199', to: dn })) as AnsweredCall;
    await runCommand(this.sim, 'answer', { call: call.connId, dn });
    return call;
  }

  release(call: AnsweredCall): Promise<unknown> {
    return runCommand(this.sim, 'release', { call: call.connId });
  }

  command(name: string, args: Record<string, unknown>): Promise<unknown> {
    return runCommand(this.sim, name, args);
  }

  /** The screen recording as the internal metadata API shows it (Recording Processor's view). */
  async screenRecording(recordingId: string): Promise<Record<string, unknown>> {
    const res = await request(this.app.url).get(`/internal-api/contact-centers/${this.ccid}/screen-recordings/${recordingId}`).set('Authorization', this.processor.basic).expect(200);
    return res.body.recording as Record<string, unknown>;
  }

  /** The screen recordings of a call, as the public search shows them (ops account, this contact center). */
  async screenRecordingsOfCall(callUuid: string): Promise<Record<string, unknown>[]> {
    const res = await request(this.app.url).get('/api/v2/screen-recordings').query({ callUuid, ccid: this.ccid }).set('Authorization', this.app.opsAuth).expect(200);
    return res.body.recordings as Record<string, unknown>[];
  }

  /** The operator replaces a user's attributes through the ops user API. */
  async updateUser(user: TestUser, attributes: Record<string, unknown>): Promise<void> {
    await request(this.app.url).put(`/api/v2/ops/contact-centers/${this.ccid}/users/${user.userName}`).set('Authorization', this.app.opsAuth).send(attributes).expect(200);
  }

  async closeRecorders(): Promise<void> {
    await Promise.all(this.recorders.splice(0).map((r) => r.close()));
  }

  async stop(): Promise<void> {
    await this.closeRecorders();
    await this.app?.close();
  }
}
