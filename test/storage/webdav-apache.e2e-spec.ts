import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageObjectExistsException } from '../../src/storage/storage.exception';
import { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { testConfig } from '../support/test-config';
import { expectEventually } from '../support/test-app';

/** Behaviour of the real Apache mod_dav_fs that the WebDAV adapter relies on. */
describe('Apache WebDAV behaviour', () => {
  const config = testConfig({ storage: 'webdav' });
  const client = new WebDavClient(config.webdav!);
  const dir = `apache/${randomUUID()}`;

  afterAll(() => client.close());

  it('never exposes a PUT whose body was cut short (mod_dav_fs writes to a temporary file)', async () => {
    await client.put(`${dir}/seed.bin`, Readable.from([Buffer.from('seed')]));
    const url = new URL(`${dir}/interrupted.bin`, client.baseUrl);
    const auth = `Basic ${Buffer.from(`${config.webdav!.username}:${config.webdav!.password}`).toString('base64')}`;
    const req = request(url, { method: 'PUT', headers: { Authorization: auth, 'Content-Length': String(8 * 1024 * 1024) } });
    req.on('error', () => undefined);
    await new Promise<void>((resolve) => req.write(Buffer.alloc(2 * 1024 * 1024, 1), () => resolve()));
    // Half-way, nothing is visible under the key.
    await expect(client.head(`${dir}/interrupted.bin`)).resolves.toBeUndefined();
    req.destroy();
    await expectEventually(async () => (await client.head(`${dir}/interrupted.bin`)) === undefined);
  });

  it('refuses a PUT over an existing file before reading its body (If-None-Match + Expect: 100-continue)', async () => {
    const key = `${dir}/exists.bin`;
    await client.put(key, Readable.from([Buffer.from('original')]));
    let pulled = false;
    const body = new Readable({
      read() {
        pulled = true;
        this.push(Buffer.alloc(1024));
        this.push(null);
      },
    });
    await expect(client.put(key, body, { contentLength: 1024 })).rejects.toBeInstanceOf(StorageObjectExistsException);
    expect(pulled).toBe(false);
    await expect(client.head(key)).resolves.toMatchObject({ size: 'original'.length });
  });

  it('creates missing parent collections level by level', async () => {
    const key = `${dir}/a/b/c/d.bin`;
    await expect(client.put(key, Readable.from([Buffer.from('deep')]))).resolves.toMatchObject({ bytesSent: 4 });
    await expect(client.head(key)).resolves.toMatchObject({ size: 4 });
  });
});
