import { readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { recordingDocument } from '../support/recording-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

jest.setTimeout(60_000);

/** A request exactly as given (no URL normalisation, unlike fetch/supertest), answering status and JSON body. */
function raw(app: TestApp, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; body: { statusCode: number; statusMessage: string } }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Issue 13 finding 9 (the parts about requests): every one is refused with the envelope, never echoed or guessed at. */
describe('request hardening', () => {
  let app: TestApp;
  let people: IdentityFixture;

  beforeAll(async () => {
    // Encryption as users get it: the contact center's certificate is generated at its first upload.
    app = await startTestApp(testConfig({ env: { RWS_SCREEN_ENCRYPTION: 'on' } }));
    people = await createIdentityFixture(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const contactCenterUris = (headers: Record<string, string>) => {
    const call = request(app.url).get('/api/v2/ops/contact-centers').set('Authorization', app.opsAuth);
    for (const [name, value] of Object.entries(headers)) call.set(name, value);
    return call;
  };

  describe('absolute URLs', () => {
    it('take only http or https from X-Forwarded-Proto', async () => {
      const res = await contactCenterUris({ 'X-Forwarded-Proto': 'javascript' }).expect(200);
      expect(res.body.uris[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/ops\/contact-centers\//);
      const https = await contactCenterUris({ 'X-Forwarded-Proto': 'https' }).expect(200);
      expect(https.body.uris[0]).toMatch(/^https:\/\/127\.0\.0\.1:/);
    });

    it('refuse a Host or X-Forwarded-Host that is not a host name with an optional port (400)', async () => {
      const hostile: Record<string, string>[] = [{ 'X-Forwarded-Host': 'javascript:alert(1)//' }, { Host: 'evil.example/phish?' }, { 'X-Forwarded-Host': 'a b' }];
      for (const headers of hostile) {
        const res = await contactCenterUris(headers).expect(400);
        expect(res.body).toEqual({ statusCode: 2, statusMessage: "Parameter 'Host' is invalid: must be a host name or address with an optional port" });
      }
      const proxied = await contactCenterUris({ 'X-Forwarded-Host': 'rws.example.com:8443', 'X-Forwarded-Proto': 'https' }).expect(200);
      expect(proxied.body.uris[0]).toMatch(/^https:\/\/rws\.example\.com:8443\/api\/v2\//);
    });
  });

  describe("recording ids '.' and '..'", () => {
    it('are refused in paths, also percent-encoded', async () => {
      for (const path of ['/api/v2/recordings/..', '/api/v2/recordings/.', '/api/v2/recordings/%2e%2E', `/api/v2/ops/contact-centers/${people.ccid}/recordings/../x`]) {
        const res = await raw(app, 'GET', path, { Authorization: app.opsAuth });
        expect(res).toEqual({ status: 400, body: { statusCode: 2, statusMessage: "Parameter 'path' is invalid: a path segment may not be '.' or '..'." } });
      }
    });

    it('are refused as the id of an inserted recording', async () => {
      for (const id of ['.', '..']) {
        const res = await request(app.url)
          .post(`/internal-api/contact-centers/${people.ccid}/recordings`)
          .set('Authorization', people.processor.basic)
          .send(recordingDocument({ id, ccid: people.ccid }))
          .expect(400);
        expect(res.body.statusMessage).toMatch(/^Parameter 'id' is invalid/);
      }
    });
  });

  it('refuses a JSON body that is not valid UTF-8 (400) instead of replacing the bytes', async () => {
    const body = Buffer.concat([Buffer.from(`{"userName":"${people.alice.userName}","password":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await raw(app, 'POST', '/api/v2/auth/token', { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
    expect(res).toEqual({ status: 400, body: { statusCode: 2, statusMessage: 'Request body is not valid UTF-8.' } });
  });

  it('answers 413 as soon as Content-Length exceeds the JSON limit, without waiting for the body', async () => {
    const { port } = new URL(app.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/v2/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n{"userName":`);
      });
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('\r\n\r\n') && text.endsWith('}')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      // Only 12 of the 64 MiB were sent: an answer can only come before the body.
      setTimeout(() => {
        socket.destroy();
        resolve(text || 'no answer while the body was still outstanding');
      }, 10_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe(JSON.stringify({ statusCode: 8, statusMessage: 'Request body is too large.' }));
  });

  it('answers a tus version mismatch with 412 and Tus-Version', async () => {
    const res = await request(app.url).post('/api/v2/screen-recordings/uploads').set('Tus-Resumable', '0.2.2').set('Authorization', people.alice.basic).set('Upload-Length', '10').expect(412);
    expect(res.headers['tus-version']).toBe('1.0.0');
    expect(res.body).toEqual({ statusCode: 2, statusMessage: 'Tus-Resumable 1.0.0 is required.' });
  });

  it('never names internal storage keys or paths in an error answer', async () => {
    const file = randomBytes(4096);
    const recordingId = await startScreenRecording(app, people, { agentHierarchy: '/EMEA/Sales/alice' });
    const path = await createTusUpload(app, people.alice.basic, recordingId, file);
    await request(app.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', '0').set('Content-Type', 'application/offset+octet-stream').send(file).expect(204);
    const view = await request(app.url).get(`/api/v2/screen-recordings/${recordingId}`).set('Authorization', people.sue.basic).expect(200);
    // The stored ciphertext is lost behind RWS's back (a disk restored without it).
    const stored = findFile(app.config.dataDir, (name) => name.includes(recordingId) && name.endsWith('.bin'));
    rmSync(stored);
    const res = await request(app.url).get(new URL(view.body.recording.mediaFiles[0].mediaUri).pathname).set('Authorization', people.sue.basic);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 6, statusMessage: 'The object cannot be found in recording storage.' });
    expect(JSON.stringify(res.body)).not.toContain(people.ccid);
  });
});

function findFile(dir: string, matches: (name: string) => boolean): string {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      try {
        return findFile(full, matches);
      } catch {
        continue;
      }
    }
    if (matches(entry)) return full;
  }
  throw new Error(`no file matching in ${dir}`);
}

describe('RWS_PUBLIC_URL', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_PUBLIC_URL: 'https://rws.example.com/base/' } }));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is the base of every absolute URL, whatever Host and X-Forwarded-* say', async () => {
    const res = await request(app.url)
      .get('/api/v2/ops/contact-centers')
      .set('Authorization', app.opsAuth)
      .set('X-Forwarded-Host', 'evil.example')
      .set('X-Forwarded-Proto', 'http')
      .expect(200);
    expect(res.body.uris.length).toBeGreaterThan(0);
    for (const uri of res.body.uris) expect(uri).toMatch(/^https:\/\/rws\.example\.com\/base\/api\/v2\/ops\/contact-centers\/[0-9a-f-]{36}$/);
  });

  it('refuses to start on a URL that is not http(s)', () => {
    expect(() => testConfig({ env: { RWS_PUBLIC_URL: 'javascript://rws.example.com/' } })).toThrow(/RWS_PUBLIC_URL: an http:\/\/ or https:\/\/ URL/);
  });
});
