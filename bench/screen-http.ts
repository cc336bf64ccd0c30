/**
 * P3 and P4 of performance.md over HTTP, each side by side with its baseline in the same run:
 * - P3: screen uploads (tus, the reference recorder's client in its own process) through RWS on Cassandra
 *   into Apache WebDAV with encryption on, vs `curl -T` of the same file straight to the same WebDAV;
 *   RSS of the RWS process during each upload. Sizes are the P7 growth series (64 MB, 256 MB, 1 GB).
 * - P4: full read and random Range reads of the encrypted 256 MB recording through
 *   `GET /api/v2/screen-recordings/{id}/play/{mediaId}`, vs plain GET of the ciphertext from WebDAV (same
 *   node:http client in its own process for both); Range time to first byte p50/p99.
 * RWS runs in this process (started like the e2e suites do); this process does nothing else while a load
 * client runs, so its RSS is RWS's.
 *
 * Run (servers from `npm run services:start`, env from .run/services.env):
 *   npm run bench:screen -- [--sizes 64,256,1024] [--ranges 200] [--smoke] [--only-p3] [--patch-mb 8]
 * Writes bench/results/screen-http.json. One small upload warms the node up first (not measured); every
 * object the bench puts in WebDAV (curl copies, stored recordings) is removed at the end.
 */
import 'reflect-metadata';
import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import request from 'supertest';
import { ScreenRecordingsService } from '../src/screen-recordings/screen-recordings.service';
import { ScreenRecordingStore } from '../src/screen-recordings/screen-recording.store';
import { RecordingStorage } from '../src/storage/recording-storage';
import { opensslCertificate } from '../test/support/crypto-fixtures';
import { createContactCenter, createUser, TestUser } from '../test/support/identity-fixtures';
import { basicAuth, startTestApp, TestApp } from '../test/support/test-app';
import { testConfig } from '../test/support/test-config';
import { latencySummary, report, RssSampler } from './lib/report';

const MB = 1024 * 1024;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const SMOKE = process.argv.includes('--smoke');
const SIZES_MB = arg('sizes', SMOKE ? '8' : '64,256,1024').split(',').map(Number);
const PLAY_MB = SMOKE ? SIZES_MB[0] : Number(arg('play', '256'));
const RANGES = Number(arg('ranges', SMOKE ? '10' : '200'));
const ROUNDS = Number(arg('rounds', SMOKE ? '1' : '2'));
/** Bytes per PATCH (one segment object each); default: the reference recorder's tus client's (8 MiB). */
const PATCH_BYTES = arg('patch-mb', '') ? String(Number(arg('patch-mb', '8')) * MB) : undefined;
/** P3 alone (no playback): `--only-p3`. */
const ONLY_P3 = process.argv.includes('--only-p3');

/** Runs a compiled bench client (dist/bench/support/<name>.js) in its own node process; resolves its JSON line. */
function child<T>(name: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'support', `${name}.js`), ...args], { maxBuffer: 16 * MB }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${name} failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
    });
  });
}

/** Times `curl -T` of `file` to `url`, then removes the copy (untimed): the WebDAV disk is shared. */
async function curlPut(file: string, url: string, auth: string): Promise<number> {
  const ms = await new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn('curl', ['-sS', '--fail', '-o', '/dev/null', '-u', auth, '-T', file, '-H', 'If-None-Match: *', url], { stdio: ['ignore', 'ignore', 'inherit'] });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`curl -T exited with ${code}`))));
  });
  await fetch(url, { method: 'DELETE', headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } });
  return ms;
}

/** Disk write speed with fsync (`dd … conv=fsync`): RWS stages every acknowledged tus chunk durably. */
function ddFsync(file: string, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn('dd', [`if=${file}`, `of=${out}`, 'bs=8M', 'conv=fsync'], { stdio: 'ignore' });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      rmSync(out, { force: true });
      if (code === 0) resolve(performance.now() - t0);
      else reject(new Error(`dd exited with ${code}`));
    });
  });
}

async function randomFile(path: string, sizeMb: number): Promise<void> {
  const out = createWriteStream(path);
  const block = randomBytes(MB);
  for (let i = 0; i < sizeMb; i++) if (!out.write(block.map((b) => b ^ i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

interface Fixture {
  app: TestApp;
  ccid: string;
  agent: TestUser;
  supervisor: TestUser;
}

async function setUp(): Promise<Fixture> {
  const app = await startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav', env: { CASSANDRA_KEYSPACE: process.env.CASSANDRA_KEYSPACE ?? 'rws_bench' } }));
  const ccid = await createContactCenter(app);
  await request(app.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', app.opsAuth).send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }).expect(200);
  const agent = await createUser(app, ccid, 'bench-agent', { roles: ['agent'], agentId: `a-bench-${randomUUID().slice(0, 6)}`, agentHierarchy: '/EMEA/Sales/bench' });
  const supervisor = await createUser(app, ccid, 'bench-sup', { roles: ['supervisor'], accessGroups: ['/EMEA'], permissions: ['decrypt'] });
  const certificate = opensslCertificate('bench-screen');
  await request(app.url)
    .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
    .set('Authorization', app.opsAuth)
    .send({ certificate: readFileSync(certificate.certPath, 'utf8'), privateKey: readFileSync(certificate.keyPath, 'utf8'), activate: true })
    .expect(200);
  return { app, ccid, agent, supervisor };
}

/** A stopped screen recording of the agent, as RWS creates it when it tells the recorder to start. */
async function newRecording(f: Fixture): Promise<string> {
  const recordings = f.app.app.get(ScreenRecordingsService);
  const id = randomUUID();
  const at = new Date().toISOString();
  await recordings.started({ recordingId: id, ccid: f.ccid, userName: f.agent.userName, agentHierarchy: '/EMEA/Sales/bench', callUuid: randomUUID(), connId: randomUUID().replace(/-/g, '').slice(0, 16), at });
  await recordings.stateChanged(f.ccid, id, 'stopped', at);
  return id;
}

const mbps = (bytes: number, ms: number) => Math.round((bytes / MB / (ms / 1000)) * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Removes the media RWS stored for the bench's recordings (the WebDAV disk is shared). */
async function removeMedia(f: Fixture, recordingIds: string[]): Promise<void> {
  const store = f.app.app.get(ScreenRecordingStore);
  const storage = f.app.app.get(RecordingStorage);
  for (const id of recordingIds) {
    const recording = await store.get(f.ccid, id).catch(() => undefined);
    for (const media of recording?.mediaFiles ?? []) if (media.storageKey) await storage.delete(media.storageKey).catch(() => undefined);
  }
}

/**
 * One small upload before measuring: the first upload of a node starts its crypto worker thread (≈ 45 MB of
 * RSS, once) and warms the JIT; neither depends on the file size, so neither belongs in the size series.
 */
async function warmUp(f: Fixture, dir: string): Promise<string> {
  // One forced GC here, none before each measured upload: a full GC forced right before an upload leaves V8
  // marking the whole heap every ~200 ms while buffers stream (11-31 mark-compacts per 256 MB measured,
  // 0-1 without), which no running server does; RSS growth is measured from the sampler's first reading.
  global.gc?.();
  const file = join(dir, 'warm-up.mp4');
  await randomFile(file, 8);
  const id = await newRecording(f);
  await child('tus-upload-child', [f.app.url, f.agent.basic, file, id]);
  rmSync(file, { force: true });
  return id;
}

async function uploads(f: Fixture, dir: string, uploaded: string[]) {
  const webdav = new URL(process.env.WEBDAV_URL!);
  const auth = `${process.env.WEBDAV_USERNAME}:${process.env.WEBDAV_PASSWORD}`;
  const rows: Record<string, unknown>[] = [];
  let playable: { id: string; sizeMb: number } | undefined;
  uploaded.push(await warmUp(f, dir));
  for (const sizeMb of SIZES_MB) {
    const file = join(dir, `screen-${sizeMb}.mp4`);
    await randomFile(file, sizeMb);
    const rws: number[] = [];
    const curl: number[] = [];
    const dd: number[] = [];
    const finalize: number[] = [];
    const patches: number[] = [];
    const rss: { startMb: number; peakMb: number; growthMb: number }[] = [];
    // Interleaved rounds: the shared machine's noise hits both contenders alike.
    for (let round = 0; round < ROUNDS; round++) {
      curl.push(await curlPut(file, new URL(`bench-${randomUUID()}.bin`, webdav).href, auth));
      dd.push(await ddFsync(file, join(dir, 'dd.out')));
      const id = await newRecording(f);
      uploaded.push(id);
      const sampler = new RssSampler().start(50);
      const result = await child<{ createMs: number; transferMs: number; bytes: number; lastPatchMs: number; patches: number }>('tus-upload-child', [f.app.url, f.agent.basic, file, id, ...(PATCH_BYTES ? [PATCH_BYTES] : [])]);
      patches.push(result.patches);
      rss.push(sampler.stop());
      rws.push(result.transferMs);
      finalize.push(result.lastPatchMs);
      if (sizeMb === PLAY_MB) playable = { id, sizeMb };
    }
    const bytes = sizeMb * MB;
    const row = {
      sizeMb,
      rwsTusMBps: mbps(bytes, median(rws)),
      curlPutMBps: mbps(bytes, median(curl)),
      ratio: ratio(median(curl), median(rws)),
      target: '≥ 0.8',
      met: median(curl) / median(rws) >= 0.8,
      ddFsyncMBps: mbps(bytes, median(dd)),
      ratioToDiskFsync: ratio(median(dd), median(rws)),
      lastPatchWithFinalizeMs: Math.round(median(finalize)),
      patchesPerUpload: median(patches),
      rwsRssStartMb: Math.min(...rss.map((r) => r.startMb)),
      rwsRssPeakMb: Math.max(...rss.map((r) => r.peakMb)),
      rwsRssGrowthMb: Math.max(...rss.map((r) => r.growthMb)),
    };
    console.log('P3', JSON.stringify(row));
    rows.push(row);
    rmSync(file, { force: true });
  }
  return { rows, playable };
}

async function playback(f: Fixture, recordingId: string, sizeMb: number) {
  const stored = await f.app.app.get(ScreenRecordingStore).get(f.ccid, recordingId);
  const media = stored!.mediaFiles[0];
  const rwsUrl = `${f.app.url}/api/v2/screen-recordings/${recordingId}/play/${media.mediaId}`;
  const webdavAuth = basicAuth(process.env.WEBDAV_USERNAME!, process.env.WEBDAV_PASSWORD!);
  const size = sizeMb * MB;
  type Reads = { fullMs: number; fullBytes: number; ttfbMs: number[]; rangeMs: number[] };
  const rws: Reads[] = [];
  const plain: Reads[] = [];
  // The stored media is a segmented object (a manifest and its segments): the baseline reads one plain WebDAV
  // object holding the same ciphertext, copied there untimed and removed afterwards.
  const storage = f.app.app.get(RecordingStorage);
  const baselineKey = `bench-p4-${randomUUID()}.bin`;
  const source = await storage.read(media.storageKey);
  await storage.write(baselineKey, source.stream, { contentLength: source.size });
  const baselineUrl = new URL(baselineKey, new URL(process.env.WEBDAV_URL!)).href;
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await child<Reads>('http-read-child', [baselineUrl, webdavAuth, String(size), String(RANGES), String(round + 1)]));
    rws.push(await child<Reads>('http-read-child', [rwsUrl, f.supervisor.basic, String(size), String(RANGES), String(round + 1)]));
  }
  await storage.delete(baselineKey);
  // Diagnostic: the same request's fixed cost without media (auth, metadata read, access audit).
  const metadataMs: number[] = [];
  for (let i = 0; i < Math.min(RANGES, 100); i++) {
    const t0 = performance.now();
    const res = await fetch(`${f.app.url}/api/v2/screen-recordings/${recordingId}`, { headers: { Authorization: f.supervisor.basic } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`metadata GET: HTTP ${res.status}`);
    metadataMs.push(performance.now() - t0);
  }
  const metadata = latencySummary(metadataMs);
  const full = { rws: median(rws.map((r) => r.fullMs)), plain: median(plain.map((r) => r.fullMs)) };
  const ttfb = { rws: latencySummary(rws.flatMap((r) => r.ttfbMs)), plain: latencySummary(plain.flatMap((r) => r.ttfbMs)) };
  const range = { rws: latencySummary(rws.flatMap((r) => r.rangeMs)), plain: latencySummary(plain.flatMap((r) => r.rangeMs)) };
  const rows = [
    { what: `full read ${sizeMb} MB`, rwsMBps: mbps(size, full.rws), webdavCiphertextMBps: mbps(size, full.plain), ratio: ratio(full.plain, full.rws), target: '≥ 0.8', met: full.plain / full.rws >= 0.8 },
    { what: `${RANGES * ROUNDS} Range reads, TTFB p50 ms`, rws: ttfb.rws.p50, webdavCiphertext: ttfb.plain.p50, target: '' },
    { what: `${RANGES * ROUNDS} Range reads, TTFB p99 ms`, rws: ttfb.rws.p99, webdavCiphertext: ttfb.plain.p99, target: '≤ 20 ms', met: ttfb.rws.p99 <= 20 },
    { what: 'Range reads, total time p50 ms', rws: range.rws.p50, webdavCiphertext: range.plain.p50, ratio: ratio(range.plain.p50, range.rws.p50) },
    { what: 'diagnostic: GET screen-recording metadata p50/p99 ms', rws: `${metadata.p50} / ${metadata.p99}` },
  ];
  console.log('P4', JSON.stringify(rows));
  return { rows, ttfb, range, metadata };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rws-bench-screen-'));
  const load = [loadavg()];
  const f = await setUp();
  const uploaded: string[] = [];
  try {
    const p3 = await uploads(f, dir, uploaded);
    load.push(loadavg());
    report('screen-http-p3', p3.rows, { smoke: SMOKE, rounds: ROUNDS, loadAverage: load, rss: 'of the process running RWS (in-process app; load clients are child processes)' });
    if (ONLY_P3) return;
    if (!p3.playable) throw new Error(`no upload of ${PLAY_MB} MB to play back (sizes ${SIZES_MB.join(',')})`);
    const p4 = await playback(f, p3.playable.id, p3.playable.sizeMb);
    load.push(loadavg());
    report('screen-http-p4', p4.rows, { smoke: SMOKE, rounds: ROUNDS, loadAverage: load, ttfb: p4.ttfb, range: p4.range, metadataGetMs: p4.metadata });
  } finally {
    await removeMedia(f, uploaded);
    await f.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
