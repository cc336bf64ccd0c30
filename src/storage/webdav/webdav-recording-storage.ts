import type { Readable } from 'node:stream';
import type { ByteRead } from '../byte-read';
import { ByteRange, RecordingStorage, StorageRead, StoredObject } from '../recording-storage';
import { storageKeySegments } from '../storage-key';
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
  constructor(readonly client: WebDavClient) {
    super();
  }

  async write(key: string, body: Readable, options: { contentLength?: number; contentType?: string } = {}): Promise<StoredObject> {
    storageKeySegments(key);
    // Success means the whole body left (counted, and checked against a given Content-Length) and the server
    // answered 2xx after reading it to its framed end: it holds exactly those bytes, no HEAD needed to say so.
    const { bytesSent } = await this.client.put(key, body, options);
    return { key, size: bytesSent };
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
}
