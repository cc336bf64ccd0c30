import { Readable } from 'node:stream';
import { BoundedCache } from '../../crypto/bounded-cache';
import { ByteRead, streamByteRead } from '../byte-read';
import { ByteRange, RecordingStorage, StorageRead, StoredObject } from '../recording-storage';
import { assertRangeShape } from '../storage-range';
import { StorageObjectNotFoundException, StorageRangeNotSatisfiableException } from '../storage.exception';
import { isManifestKey, parseManifest, SegmentManifest, segmentsOfRange } from './segment-manifest';

/** Manifests kept in memory, least recently read dropped first (they never change once written): a playback's Range reads cost no extra GET. */
const CACHED_MANIFESTS = 1_000;

/**
 * RecordingStorage that reads a segmented object (a manifest, see segment-manifest.ts) as one object: Range
 * reads across segment boundaries, its size, and its deletion (segments, then the manifest). Everything
 * above storage (playback, exports, retention purges, media deletes) reads an upload stored as segments
 * without knowing it. Writes and keys that are no manifest go straight to the adapter.
 */
export class SegmentedRecordingStorage extends RecordingStorage {
  private readonly manifests = new BoundedCache<string, SegmentManifest>(CACHED_MANIFESTS);

  constructor(readonly inner: RecordingStorage) {
    super();
  }

  write(key: string, body: Readable, options?: { contentLength?: number; contentType?: string }): Promise<StoredObject> {
    return this.inner.write(key, body, options);
  }

  async read(key: string, range?: ByteRange): Promise<StorageRead> {
    if (!isManifestKey(key)) return this.inner.read(key, range);
    const { manifest, served, parts } = await this.partsOf(key, range);
    const inner = this.inner;
    async function* concatenated(): AsyncGenerator<Buffer> {
      for (const part of parts) {
        const whole = part.start === 0 && part.end === manifest.segments.find((s) => s.key === part.key)!.size - 1;
        const { stream } = await inner.read(part.key, whole ? undefined : { start: part.start, end: part.end });
        for await (const chunk of stream) yield chunk as Buffer;
      }
    }
    return { stream: Readable.from(concatenated(), { objectMode: false }), size: manifest.size, range: served };
  }

  override async openRead(key: string, range?: ByteRange): Promise<ByteRead> {
    if (!isManifestKey(key)) return this.inner.openRead(key, range);
    // A range inside one segment (most of a playback's: segments are whole PATCHes) is a range of that
    // object: the adapter's own reader serves it (WebDAV: straight from the connection's buffer).
    const { parts } = await this.partsOf(key, range);
    if (parts.length === 1) return this.inner.openRead(parts[0].key, { start: parts[0].start, end: parts[0].end });
    return streamByteRead((await this.read(key, range)).stream);
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const object = await this.inner.stat(key);
    if (!object || !isManifestKey(key)) return object;
    return { ...object, size: (await this.manifest(key)).size };
  }

  /** The objects as stored (a manifest and its segments are listed as they are). */
  async list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }

  /** A segmented object goes segment by segment, its manifest last (a failure leaves it readable as far as it was). */
  async delete(key: string): Promise<boolean> {
    if (!isManifestKey(key)) return this.inner.delete(key);
    let manifest: SegmentManifest;
    try {
      manifest = await this.manifest(key);
    } catch (err) {
      if (err instanceof StorageObjectNotFoundException) return false;
      throw err;
    }
    for (const segment of manifest.segments) await this.inner.delete(segment.key);
    this.manifests.delete(key);
    return this.inner.delete(key);
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  /** The segments (and the range in each) that hold `range` of the segmented object `key`. */
  private async partsOf(key: string, range?: ByteRange): Promise<{ manifest: SegmentManifest; served?: ByteRange; parts: ReturnType<typeof segmentsOfRange> }> {
    if (range) assertRangeShape(range);
    const manifest = await this.manifest(key);
    if (range && range.start >= manifest.size) throw new StorageRangeNotSatisfiableException(key, manifest.size);
    const served = range ? { start: range.start, end: Math.min(range.end, manifest.size - 1) } : undefined;
    const parts = manifest.size === 0 ? [] : segmentsOfRange(manifest, served?.start ?? 0, served?.end ?? manifest.size - 1);
    return { manifest, served, parts };
  }

  private async manifest(key: string): Promise<SegmentManifest> {
    const cached = this.manifests.get(key);
    if (cached) return cached;
    const { stream } = await this.inner.read(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const manifest = parseManifest(key, Buffer.concat(chunks));
    this.manifests.set(key, manifest);
    return manifest;
  }
}
