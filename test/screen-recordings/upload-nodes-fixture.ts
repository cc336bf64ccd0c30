import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import request from 'supertest';
import type { IdentityFixture } from '../support/identity-fixtures';
import { TUS } from '../support/screen-upload-fixtures';

/** Apache WebDAV as the test reaches it directly (not through the proxy the nodes use). */
export const webdav = () => ({ url: new URL(process.env.WEBDAV_URL!), auth: `Basic ${Buffer.from(`${process.env.WEBDAV_USERNAME}:${process.env.WEBDAV_PASSWORD}`).toString('base64')}` });

/** The environment of one RWS node of a test cluster: Cassandra, WebDAV at `webdavUrl`, the cluster's master key. */
export function nodeEnv(webdavUrl: string, masterKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    RWS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rws-node-')),
    RWS_METADATA: 'cassandra',
    RWS_STORAGE: 'webdav',
    RWS_OPS_USERNAME: 'ops',
    RWS_OPS_PASSWORD: 'ops-test-password',
    RWS_LOG_LEVEL: 'error',
    RWS_SIPSERVER_SIMULATOR: 'true',
    CASSANDRA_CONTACT_POINTS: process.env.CASSANDRA_CONTACT_POINTS!,
    CASSANDRA_KEYSPACE: process.env.CASSANDRA_KEYSPACE ?? 'rws_test',
    WEBDAV_URL: webdavUrl,
    WEBDAV_USERNAME: process.env.WEBDAV_USERNAME!,
    WEBDAV_PASSWORD: process.env.WEBDAV_PASSWORD!,
    RWS_MASTER_KEY: masterKey,
    ...extra,
  };
}

/** Every object WebDAV holds below a recording's folder, as paths relative to it (PROPFIND, depth 1 per level). */
export async function objectsOf(people: IdentityFixture, recordingId: string): Promise<string[]> {
  const { url, auth } = webdav();
  const root = new URL(`cc/${people.ccid}/screen/${recordingId}/`, url.href.replace(/\/?$/, '/'));
  const found: string[] = [];
  const walk = async (folder: URL): Promise<void> => {
    const res = await fetch(folder, { method: 'PROPFIND', headers: { Authorization: auth, Depth: '1' } });
    if (res.status === 404) return;
    const hrefs = [...(await res.text()).matchAll(/<D:href>([^<]+)<\/D:href>/gi)].map((m) => decodeURIComponent(m[1]));
    for (const href of hrefs) {
      const at = new URL(href, folder);
      if (at.pathname === folder.pathname) continue;
      if (href.endsWith('/')) await walk(at);
      else found.push(at.pathname.slice(root.pathname.length));
    }
  };
  await walk(root);
  return found.sort();
}

/** Reads an object straight from WebDAV. */
export async function webdavGet(path: string): Promise<Buffer> {
  const { url, auth } = webdav();
  const res = await fetch(new URL(path, url.href.replace(/\/?$/, '/')), { headers: { Authorization: auth } });
  return Buffer.from(await res.arrayBuffer());
}

/** A tus client of alice's against any node. */
export function tusClient(people: IdentityFixture) {
  return {
    patch: (base: string, path: string, offset: number, bytes: Buffer) =>
      request(base).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', String(offset)).set('Content-Type', 'application/offset+octet-stream').send(bytes),
    offsetOf: async (base: string, path: string) => Number((await request(base).head(path).set(TUS).set('Authorization', people.alice.basic).expect(200)).headers['upload-offset']),
    head: (base: string, path: string) => request(base).head(path).set(TUS).set('Authorization', people.alice.basic),
    /** Starts a PATCH announcing all of `bytes` and hands only `sent` of them to the kernel; the caller ends it. */
    async openPatch(base: string, path: string, offset: number, bytes: Buffer, sent: number): Promise<http.ClientRequest> {
      const req = http.request(new URL(path, base), {
        method: 'PATCH',
        headers: { ...TUS, Authorization: people.alice.basic, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(bytes.length) },
      });
      req.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => req.write(bytes.subarray(0, sent), (err) => (err ? reject(err) : resolve())));
      return req;
    },
  };
}
