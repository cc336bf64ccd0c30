import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { mediaFileIdFor } from '../../src/recordings/voice-recording';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { client, recordingDocument } from '../support/recording-fixtures';
import type { TestApp } from '../support/test-app';
import { isoAt } from './lifecycle-fixtures';

/** A recording seeded for an export test: its id, media file id, and the SHA-256 of its media bytes. */
export interface SeededRecording {
  id: string;
  mediaFileId: string;
  sha256: string;
  bytes: number;
}

/** A contact center whose voice media lie in the node's own storage (no voice store configured). */
export async function nodeStorageContactCenter(app: TestApp): Promise<string> {
  const http = client(app);
  const created = await http.post('/api/v2/ops/contact-centers', { name: `export ${randomUUID().slice(0, 8)}` });
  const ccid = (created.body.contactCenter as { id: string }).id;
  await http.post(`/api/v2/ops/contact-centers/${ccid}/features`, { uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] });
  return ccid;
}

/**
 * Seeds `count` recordings the way production gets them: the media bytes (small, random) written into the
 * node's recording storage as a media server writes them, then each document posted through the Recording
 * Processor's HTTP API. `missingMedia` recordings name a media object that was never written.
 */
export async function seedRecordings(
  app: TestApp,
  ccid: string,
  options: { count: number; partition: string; startMs?: number; missingMedia?: boolean; concurrency?: number; storage?: RecordingStorage; mediaBytes?: number },
): Promise<SeededRecording[]> {
  const storage: RecordingStorage = options.storage ?? app.app.get(RecordingStorage);
  const http = client(app);
  const start = options.startMs ?? Date.now() - 3_600_000;
  const seeded: SeededRecording[] = [];
  const indexes = [...Array(options.count).keys()];
  const worker = async (): Promise<void> => {
    for (let i = indexes.shift(); i !== undefined; i = indexes.shift()) {
      const id = `EXP${randomBytes(8).toString('hex').toUpperCase()}`;
      const media = randomBytes(options.mediaBytes ?? 1024 + (i % 7) * 300);
      const key = `voice/${ccid}/${id}.mp3`;
      if (!options.missingMedia) await storage.write(key, Readable.from([media]), { contentLength: media.length });
      const at = isoAt(start - i * 1000);
      const doc = recordingDocument({
        id,
        startTime: at,
        stopTime: isoAt(start - i * 1000 + 60_000),
        mediaFiles: [
          {
            mediaId: `callrec.${id}.mp3`,
            callUUID: id,
            type: 'audio/mp3',
            startTime: at,
            size: String(media.length),
            parameters: { agentId: 'agent7001' },
            mediaDescriptor: { storage: 'webDAV', path: key },
            accessgroups: ['/'],
            partitions: [options.partition],
          },
        ],
      });
      const posted = await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
      if (posted.status !== 200) throw new Error(`insert answered ${posted.status}: ${JSON.stringify(posted.body)}`);
      seeded.push({ id, mediaFileId: mediaFileIdFor(ccid, id, `callrec.${id}.mp3`), sha256: sha256(media), bytes: media.length });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return seeded;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A client of the shared Apache WebDAV (WEBDAV_URL), the export target of these tests. */
export function webDavClient(): WebDavClient {
  return new WebDavClient({ url: process.env.WEBDAV_URL!, username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD });
}

/** A fresh, existing folder on the shared WebDAV and the target spec naming it with the credentials. */
export async function freshTarget(webdav: WebDavClient): Promise<{ folder: string; target: Record<string, string> }> {
  const folder = `exports-${randomUUID()}`;
  await webdav.put(`${folder}/README.txt`, Readable.from([Buffer.from('export target\n')]));
  return { folder, target: { type: 'webdav', url: new URL(`${folder}/`, webdav.baseUrl).href, username: process.env.WEBDAV_USERNAME!, password: process.env.WEBDAV_PASSWORD! } };
}

/** The SHA-256 of an object on the WebDAV, or undefined when it is absent. */
export async function remoteSha256(webdav: WebDavClient, path: string): Promise<string | undefined> {
  const head = await webdav.head(path);
  if (!head) return undefined;
  const { stream } = await webdav.get(path);
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inParallel<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  }));
}

/** Every member of a tar: name → SHA-256 and bytes (small members also kept as text). */
export async function tarMembers(tar: Buffer): Promise<Map<string, { sha256: string; text: string }>> {
  const members = new Map<string, { sha256: string; text: string }>();
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk as Buffer);
      const body = Buffer.concat(parts);
      members.set(entry.header.name, { sha256: sha256(body), text: body.length < 1_000_000 ? body.toString('utf8') : '' });
    }
  })();
  reader.end(tar);
  await done;
  return members;
}
