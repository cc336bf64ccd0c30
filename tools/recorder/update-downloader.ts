import { createPublicKey, verify } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashingStream } from '../../src/common/http/hashing-stream';

/** What the server announced (`update-available`, or the latest-release endpoint). */
export interface AnnouncedRelease {
  version: string;
  platform: string;
  size: number;
  sha256: string;
  url: string;
  signature?: string;
}

/**
 * Fetches an announced build into `directory`, streaming, and keeps it only when its size and SHA-256 match
 * the announcement (and, with a pinned Ed25519 public key, its signature). Installing it is the platform's
 * installer's job; the reference recorder stops at a verified file.
 */
export async function downloadRelease(release: AnnouncedRelease, directory: string, authorization: string, pinnedPublicKeyPem?: string): Promise<string> {
  if (pinnedPublicKeyPem) {
    if (!release.signature) throw new Error(`release ${release.version} is not signed`);
    const ok = verify(null, Buffer.from(release.sha256, 'hex'), createPublicKey(pinnedPublicKeyPem), Buffer.from(release.signature, 'base64'));
    if (!ok) throw new Error(`release ${release.version} has an invalid signature`);
  }
  const res = await fetch(release.url, { headers: { Authorization: authorization } });
  if (res.status !== 200 || !res.body) throw new Error(`download of ${release.version} answered HTTP ${res.status}`);
  await fs.mkdir(directory, { recursive: true });
  const target = join(directory, `rws-recorder-${release.version}-${release.platform}`);
  const partial = `${target}.partial`;
  const hashing = new HashingStream();
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), hashing, createWriteStream(partial));
  if (hashing.bytes !== release.size || hashing.digestHex() !== release.sha256) {
    await fs.rm(partial, { force: true });
    throw new Error(`download of ${release.version} does not match its announced size and SHA-256`);
  }
  await fs.rename(partial, target);
  return target;
}
