/**
 * Export throughput (issue 17) against a raw WebDAV copy of the same objects, side by side in one run:
 * - raw copy: each media object read from the node's storage and PUT to the shared Apache WebDAV by a plain
 *   WebDavClient, 8 at a time, media only;
 * - an export job (unthrottled) of the same recordings into a fresh WebDAV folder: media + metadata.json,
 *   per-item records and checkpoints, timed from the POST to `finished` (its counting pass included);
 * - the same with `verify: true` (every object read back and hashed);
 * - an archive job downloaded as a tar (read to the end, discarded);
 * - playback p50/p99 of one media file (whole 64 KiB GETs, 20 ms apart) idle, and while the unthrottled export runs.
 * Source: embedded store + the node's filesystem storage; recordings posted through the API.
 *
 * Run (services up, `set -a; source .run/services.env`): npm run bench:export -- [recordings=1000] [kB=64]
 * Writes bench/results/lifecycle-export.json.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordingStorage } from '../src/storage/recording-storage';
import { freshTarget, inParallel, nodeStorageContactCenter, SeededRecording, seedRecordings, webDavClient } from '../test/lifecycle/export-fixtures';
import { client } from '../test/support/recording-fixtures';
import { startTestApp, TestApp } from '../test/support/test-app';
import { testConfig } from '../test/support/test-config';
import { latencySummary, resultsDir } from './lib/report';

const N = Number(process.argv[2] ?? 1000);
const KB = Number(process.argv[3] ?? 64);
/** WebDAV folders this run wrote, removed at the end (the WebDAV is shared). */
const folders: string[] = [];

interface Throughput {
  recordings: number;
  seconds: number;
  recordingsPerSecond: number;
  megabytesPerSecond: number;
}

function throughput(recordings: number, bytes: number, ms: number): Throughput {
  const seconds = ms / 1000;
  return { recordings, seconds: round(seconds), recordingsPerSecond: round(recordings / seconds), megabytesPerSecond: round(bytes / 1024 / 1024 / seconds) };
}

async function rawCopy(app: TestApp, ccid: string, seeded: SeededRecording[]): Promise<Throughput> {
  const storage = app.app.get(RecordingStorage);
  const webdav = webDavClient();
  const { folder } = await freshTarget(webdav);
  folders.push(folder);
  const t = performance.now();
  await inParallel(seeded, 8, async (r) => {
    const read = await storage.read(`voice/${ccid}/${r.id}.mp3`);
    await webdav.put(`${folder}/${r.id}/${r.mediaFileId}.mp3`, read.stream, { contentLength: read.size });
  });
  const ms = performance.now() - t;
  webdav.close();
  return throughput(seeded.length, seeded.reduce((s, r) => s + r.bytes, 0), ms);
}

/** Plays one media file again and again (20 ms apart) until `until()`; the latencies in ms. */
async function playLatencies(app: TestApp, ccid: string, r: SeededRecording, until: () => boolean, max = 100_000): Promise<number[]> {
  const samples: number[] = [];
  const url = `${app.url}/api/v2/ops/contact-centers/${ccid}/recordings/${r.id}/play/${r.mediaFileId}.mp3`;
  while (!until() && samples.length < max) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t = performance.now();
    const response = await fetch(url, { headers: { authorization: app.opsAuth } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`play answered ${response.status}`);
    samples.push(performance.now() - t);
  }
  return samples;
}

async function exportJob(app: TestApp, ccid: string, partition: string, verify: boolean): Promise<Throughput & { bytesWritten: number }> {
  const http = client(app);
  const webdav = webDavClient();
  const { folder, target } = await freshTarget(webdav);
  folders.push(folder);
  webdav.close();
  const t = performance.now();
  const created = await http.post(`/api/v2/ops/contact-centers/${ccid}/exports`, { filters: { partition }, target, verify });
  const id = (created.body.export as { id: string }).id;
  let job: { state: string; progress: { exported: number; failed: number; bytes: number } };
  do {
    await new Promise((r) => setTimeout(r, 50));
    job = (await http.get(`/api/v2/ops/contact-centers/${ccid}/exports/${id}`)).body.export as typeof job;
  } while (job.state !== 'finished');
  const ms = performance.now() - t;
  if (job.progress.exported !== N || job.progress.failed !== 0) throw new Error(`export: ${JSON.stringify(job)}`);
  return { ...throughput(N, job.progress.bytes, ms), bytesWritten: job.progress.bytes };
}

async function archive(app: TestApp, ccid: string, partition: string): Promise<Throughput> {
  const http = client(app);
  const id = ((await http.post(`/api/v2/ops/contact-centers/${ccid}/exports`, { filters: { partition }, target: { type: 'archive' } })).body.export as { id: string }).id;
  const t = performance.now();
  const response = await fetch(`${app.url}/api/v2/ops/contact-centers/${ccid}/exports/${id}/archive`, { headers: { authorization: app.opsAuth } });
  let bytes = 0;
  for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
  return throughput(N, bytes, performance.now() - t);
}

async function main(): Promise<void> {
  const app = await startTestApp(
    testConfig({ env: { RWS_EXPORT_POLL_SECONDS: '0.1', RWS_EXPORT_RECORDINGS_PER_SECOND: '100000', RWS_EXPORT_MEGABYTES_PER_SECOND: '100000', RWS_RETENTION_INTERVAL_SECONDS: '0', RWS_WEBHOOK_ALLOW_PRIVATE: 'true' } }),
  );
  try {
    const ccid = await nodeStorageContactCenter(app);
    const partition = '/bench-export';
    const seeded = await seedRecordings(app, ccid, { count: N, partition, mediaBytes: KB * 1024, concurrency: 16 });
    const raw = await rawCopy(app, ccid, seeded);
    const idle = await playLatencies(app, ccid, seeded[0], () => false, 100);
    let exporting = true;
    const during = playLatencies(app, ccid, seeded[0], () => !exporting);
    const job = await exportJob(app, ccid, partition, false);
    exporting = false;
    const duringSamples = await during;
    const verified = await exportJob(app, ccid, partition, true);
    const tar = await archive(app, ccid, partition);
    const result = {
      recordings: N,
      mediaKb: KB,
      rawWebDavCopy: raw,
      exportJob: job,
      exportJobVerified: verified,
      archiveDownload: tar,
      playbackMs: { idle: latencySummary(idle), duringExport: latencySummary(duringSamples) },
      ratio: { exportToRaw: round(job.recordingsPerSecond / raw.recordingsPerSecond), verifiedToRaw: round(verified.recordingsPerSecond / raw.recordingsPerSecond) },
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(join(resultsDir(), 'lifecycle-export.json'), JSON.stringify(result, null, 2));
  } finally {
    const webdav = webDavClient();
    for (const folder of folders) await webdav.delete(`${folder}/`).catch(() => false);
    webdav.close();
    await app.close();
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

void main();
