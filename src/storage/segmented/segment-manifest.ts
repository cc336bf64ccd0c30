import { Readable } from 'node:stream';
import { StorageFailureException } from '../storage.exception';

/**
 * Keys of segmented objects end in `.segments.<extension>` (`….segments.bin` for encrypted media, so a
 * descriptor still shows what the object holds): the storage decorator resolves them, any other key passes
 * through.
 */
const MANIFEST_KEY = /\.segments\.[A-Za-z0-9]{1,8}$/;

/** The key of the segmented object named `base`, with the extension of its content. */
export function manifestKeyOf(base: string, extension: string): string {
  return `${base}.segments.${extension}`;
}

const FORMAT = 'rws-segments/1';

/** One part of a segmented object, in order. */
export interface ManifestSegment {
  key: string;
  size: number;
}

/** A segmented object: the keys and sizes of its parts; the object is their concatenation. */
export interface SegmentManifest {
  format: typeof FORMAT;
  size: number;
  segments: ManifestSegment[];
}

export function isManifestKey(key: string): boolean {
  return MANIFEST_KEY.test(key);
}

export function buildManifest(segments: ManifestSegment[]): SegmentManifest {
  return { format: FORMAT, size: segments.reduce((sum, s) => sum + s.size, 0), segments: segments.map(({ key, size }) => ({ key, size })) };
}

export function manifestBody(manifest: SegmentManifest): { body: Readable; length: number } {
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { body: Readable.from([bytes]), length: bytes.length };
}

/** Validates a stored manifest (its bytes come from storage: checked, never trusted). */
export function parseManifest(key: string, bytes: Buffer): SegmentManifest {
  let value: Partial<SegmentManifest>;
  try {
    value = JSON.parse(bytes.toString('utf8')) as Partial<SegmentManifest>;
  } catch {
    throw new StorageFailureException(`the segment manifest [${key}] is not JSON`);
  }
  const segments = Array.isArray(value.segments) ? value.segments : undefined;
  const valid =
    value.format === FORMAT &&
    segments !== undefined &&
    segments.every((s) => typeof s?.key === 'string' && !isManifestKey(s.key) && Number.isSafeInteger(s.size) && s.size > 0) &&
    value.size === segments.reduce((sum, s) => sum + s.size, 0);
  if (!valid) throw new StorageFailureException(`the segment manifest [${key}] is malformed`);
  return value as SegmentManifest;
}

/** The parts of `manifest` that hold bytes start…end (inclusive), with the range to read in each. */
export function segmentsOfRange(manifest: SegmentManifest, start: number, end: number): { key: string; start: number; end: number }[] {
  const out: { key: string; start: number; end: number }[] = [];
  let at = 0;
  for (const segment of manifest.segments) {
    const last = at + segment.size - 1;
    if (last >= start && at <= end) out.push({ key: segment.key, start: Math.max(start, at) - at, end: Math.min(end, last) - at });
    at += segment.size;
    if (at > end) break;
  }
  return out;
}
