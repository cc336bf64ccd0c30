import type { Readable } from 'node:stream';
import type { ByteRange } from '../common/http/byte-range';
import { ByteRead, streamByteRead } from './byte-read';

export type { ByteRange };

/** What storage knows of a stored object. */
export interface StoredObject {
  key: string;
  size: number;
  lastModified?: Date;
  etag?: string;
}

/** An open read: the bytes, the object's full size, and the range served (when one was asked). */
export interface StorageRead {
  stream: Readable;
  size: number;
  range?: ByteRange;
}

/**
 * Port for recording media storage. Keys are relative paths (`cc/<ccid>/screen/<id>.bin`): letters,
 * digits, `._-` and `/`, no `..`. Bodies stream in both directions; nothing is buffered whole.
 */
export abstract class RecordingStorage {
  /**
   * Stores `body` under `key`. Never overwrites: an existing key fails with StorageObjectExistsException.
   * Resolves only once the object is durably stored; on failure no partial object remains visible.
   */
  abstract write(key: string, body: Readable, options?: { contentLength?: number; contentType?: string }): Promise<StoredObject>;

  /** Opens `key` for reading, optionally one byte range; StorageObjectNotFoundException when absent. */
  abstract read(key: string, range?: ByteRange): Promise<StorageRead>;

  /**
   * Like `read`, delivering the bytes to a sink instead of a stream (the sink consumes them at once, so an
   * adapter may hand out views of a reused buffer: fewer allocations on hot paths such as playback).
   * Adapters without such a reader get this stream-backed default.
   */
  async openRead(key: string, range?: ByteRange): Promise<ByteRead> {
    return streamByteRead((await this.read(key, range)).stream);
  }

  /** Metadata of `key`, or undefined when absent. */
  abstract stat(key: string): Promise<StoredObject | undefined>;

  /** Removes `key`; returns false when it was already absent. */
  abstract delete(key: string): Promise<boolean>;

  /**
   * The keys of the objects directly in the folder `prefix` (`a/b` lists `a/b/x`, not `a/b/c/y` nor the folder
   * `a/b/c`), sorted; empty when the folder does not exist. For sweeping what a writer left behind (a node
   * killed between storing an object and recording it), not for serving clients.
   */
  abstract list(prefix: string): Promise<string[]>;

  /** Throws unless storage can serve (readiness). */
  abstract check(): Promise<void>;
}
