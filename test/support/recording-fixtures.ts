import type { TestApp } from './test-app';

/** Where recordingDocument's media are said to be (a closed port: playing them fails, inserting them is allowed). */
export const FIXTURE_VOICE_STORE = 'http://127.0.0.1:9/recordings/';

/** A Recording Processor document like the one in api.md §2, with overrides. */
export function recordingDocument(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (overrides.id as string) ?? `CALL${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
  return {
    id,
    region: 'region1',
    callerPhoneNumber: '+16172640431',
    dialedPhoneNumber: '+18489993333',
    startTime: '2014-12-16T18:42:41Z',
    stopTime: '2014-12-16T18:50:00Z',
    callType: 'Inbound',
    eventHistory: [{ occurredAt: '2014-12-16T18:42:41.000+0000', calluuid: id, event: 'Joined', contact: { type: 'External', phoneNumber: '555001' } }],
    mediaFiles: [
      {
        mediaId: `callrec.${id}.mp3`,
        callUUID: id,
        type: 'audio/mp3',
        startTime: '2014-12-16T18:42:41Z',
        stopTime: '2014-12-16T18:50:00Z',
        duration: '38.376',
        size: '153504',
        tenant: 'Environment',
        ivrprofile: 'IVRAppDefault',
        parameters: { connId: '00710255fc5bacfe', agentId: 'agent7001', dnis: '8489993333', ani: '6172640431' },
        mediaDescriptor: { storage: 'webDAV', path: `http://127.0.0.1:9/recordings/${id}.mp3` },
        accessgroups: ['/'],
        partitions: ['/sales'],
        masks: [],
      },
    ],
    ...overrides,
  };
}

/** Small HTTP client for e2e suites: JSON in, status + JSON out, ops credentials by default. */
export function client(app: TestApp) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: app.opsAuth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { raw: text };
    }
    return { status: response.status, body: json, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/** Creates a contact center with both recording features and returns its ccid. */
export async function createContactCenter(app: TestApp): Promise<string> {
  const http = client(app);
  const created = await http.post('/api/v2/ops/contact-centers', { name: 'rec test' });
  const ccid = (created.body.contactCenter as { id: string }).id;
  await http.post(`/api/v2/ops/contact-centers/${ccid}/features`, { uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] });
  // The voice store recordingDocument's media paths lie in (media paths outside every configured store are refused).
  await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { store: [{ webDAV: { storagePath: FIXTURE_VOICE_STORE } }] });
  return ccid;
}
