import { createHash } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { DOMAIN_EVENT_TYPES } from '../../src/common/events/domain-events';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import type { TestUser } from '../support/identity-fixtures';
import type { TestApp } from '../support/test-app';
import { WebhookReceiver } from './webhook-receiver';

/** The settings of a fast loop: webhook retries in tens of ms, the detector every 200 ms, missing after 0.5 s. */
export const FAST_LIFECYCLE_ENV = {
  RWS_WEBHOOK_ALLOW_PRIVATE: 'true',
  RWS_WEBHOOK_POLL_MS: '100',
  RWS_WEBHOOK_RETRY_BASE_MS: '50',
  RWS_WEBHOOK_RETRY_MAX_MS: '300',
  RWS_WEBHOOK_MAX_ATTEMPTS: '100',
  RWS_SCREEN_MISSING_AFTER_SECONDS: '0.5',
  RWS_SCREEN_MISSING_CHECK_SECONDS: '0.2',
  RWS_SCREEN_TAKEOVER_GRACE_SECONDS: '0.5',
};

/** Subscribes the receiver to every event of the contact center; returns the subscription (with its secret). */
export async function subscribe(app: TestApp, ccid: string, receiver: WebhookReceiver): Promise<{ id: string; secret: string }> {
  const res = await request(app.url).post(`/api/v2/ops/contact-centers/${ccid}/webhooks`).set('Authorization', app.opsAuth).send({ url: receiver.url, events: DOMAIN_EVENT_TYPES }).expect(200);
  return res.body.webhook as { id: string; secret: string };
}

/** One received message: verified with the secret (standardwebhooks, an independent implementation), then parsed. */
export interface ReceivedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** The messages of a receiver, each verified (a forged or unsigned one throws). */
export function verifiedEvents(receiver: WebhookReceiver, secret: string): ReceivedEvent[] {
  const verifier = new Webhook(secret);
  return receiver.received.map((message) => {
    const body = verifier.verify(message.body, message.headers) as { type: string; data: Record<string, unknown> };
    return { id: message.headers['webhook-id'], type: body.type, data: body.data };
  });
}

/** The events about one screen recording (or its call's voice recording), in the order received. */
export function eventsOf(events: ReceivedEvent[], screenRecordingId: string, callUuid?: string): ReceivedEvent[] {
  return events.filter((e) => e.data.screenRecordingId === screenRecordingId || (callUuid !== undefined && e.data.recordingId === callUuid));
}

/** The recorder's upload of its recording, in one tus request (204 expected). */
export async function uploadScreen(app: TestApp, agent: TestUser, recordingId: string, bytes: Buffer): Promise<void> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const tus = { 'Tus-Resumable': '1.0.0' };
  const created = await request(app.url)
    .post('/api/v2/screen-recordings/uploads')
    .set(tus)
    .set('Authorization', agent.basic)
    .set('Upload-Length', String(bytes.length))
    .set('Upload-Metadata', formatUploadMetadata({ recordingId, filename: 'screen.mp4', contentType: 'video/mp4', sha256 }))
    .expect(201);
  const path = new URL(created.headers.location).pathname;
  await request(app.url).patch(path).set(tus).set('Authorization', agent.basic).set('Upload-Offset', '0').set('Content-Type', 'application/offset+octet-stream').send(bytes).expect(204);
}

/** The Recording Processor stores the call's voice recording. */
export async function postVoiceRecording(app: TestApp, ccid: string, processor: TestUser, callUuid: string, agentId: string): Promise<void> {
  await request(app.url)
    .post(`/internal-api/contact-centers/${ccid}/recordings`)
    .set('Authorization', processor.basic)
    .send({
      id: callUuid,
      region: 'region1',
      callerPhoneNumber: '+16175550199',
      dialedPhoneNumber: '5000',
      eventHistory: [],
      mediaFiles: [{ mediaId: `callrec.${callUuid}.mp3`, type: 'audio/mp3', parameters: { agentId }, accessgroups: ['/EMEA/rules'] }],
    })
    .expect(200);
}
