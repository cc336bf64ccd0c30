import { Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { ByteRead } from '../byte-read';
import { ByteRange, RecordingStorage, StorageRead, StoredObject } from '../recording-storage';
import { storageKeySegments } from '../storage-key';
import { StorageFailureException } from '../storage.exception';
import { assertRangeShape } from '../storage-range';
import { WebDavClient } from './webdav-client';

/**
 * RecordingStorage on a WebDAV collection (Apache mod_dav_fs in production and tests). Keys are paths below
 * the collection. The object is PUT straight to its key with `If-None-Match: *`: mod_dav_fs writes the body to
 * a `.davfs.tmp*` file in the same directory and renames it on success (deleting it when the body is cut
 * short), so a reader never sees a partial object; the client removes the key after a failed upload anyway.
 * Limit: two concurrent PUTs of the same new key both pass the precondition and the last rename wins; keys
 * are unique per recording, so this does not arise in practice.
 */
export class WebDavRecordingStorage extends RecordingStorage {
  private readonly logger = new Logger('WebDavRecordingStorage');

  constructor(readonly client: WebDavClient) {
    super();
  }

  async write(key: string, body: Readable, options: { contentLength?: number; contentType?: string } = {}): Promise<StoredObject> {
    storageKeySegments(key);
    const { bytesSent } = await this.client.put(key, body, options);
    // The server said it stored the body; make sure it holds exactly what was sent before saying so.
    const stored = await this.client.head(key).catch(async (err: unknown) => {
      await this.removeQuietly(key, 'stat after upload failed');
      throw err;
    });
    if (!stored || stored.size !== bytesSent) {
      await this.removeQuietly(key, 'stored size differs from bytes sent');
      throw new StorageFailureException(`stored size of [${key}] is ${stored?.size ?? 'nothing'}, ${bytesSent} bytes were sent`);
    }
    return { key, size: stored.size, lastModified: stored.lastModified, etag: stored.etag };
  }

  async read(key: string, range?: ByteRange): Promise<StorageRead> {
    storageKeySegments(key);
    if (range) assertRangeShape(range);
    const download = await this.client.get(key, range);
    return { stream: download.stream, size: download.size, range: download.range };
  }

  /** Ranges go to the sink straight from the connection's buffer (see WebDavClient.openRange). */
  override async openRead(key: string, range?: ByteRange): Promise<ByteRead> {
    if (!range) return super.openRead(key);
    storageKeySegments(key);
    assertRangeShape(range);
    return this.client.openRange(key, range);
  }

  async list(prefix: string): Promise<string[]> {
    storageKeySegments(prefix);
    // mod_dav_fs hides its `.davfs.tmp*` files of PUTs in progress; keys never start with a dot anyway.
    return (await this.client.listFiles(prefix)).filter((name) => !name.startsWith('.')).map((name) => `${prefix}/${name}`);
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    storageKeySegments(key);
    const resource = await this.client.head(key);
    return resource && { key, size: resource.size, lastModified: resource.lastModified, etag: resource.etag };
  }

  async delete(key: string): Promise<boolean> {
    storageKeySegments(key);
    return this.client.delete(key);
  }

  async check(): Promise<void> {
    await this.client.probe();
  }

  /** Closes kept-alive connections (application shutdown). */
  close(): void {
    this.client.close();
  }

  private async removeQuietly(key: string, reason: string): Promise<void> {
    try {
      await this.client.delete(key);
      this.logger.warn({ msg: 'removed an object whose upload could not be verified', key, reason });
    } catch (err) {
      this.logger.error({ msg: 'could not remove an unverified object', key, reason, error: (err as Error).message });
    }
  }
}
