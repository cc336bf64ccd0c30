/**
 * Storage benchmark: streams a generated 1 GiB object through the WebDAV adapter into Apache and back
 * (SHA-256 verified), sampling this process's RSS every 100 ms, and runs `curl -T` / `curl` GET against the
 * same server in the same run as the transport baseline. Prints the figures and writes
 * bench/results/storage-1g.json.
 *
 *   npm run bench:storage                     (starts and stops its own Apache unless WEBDAV_URL is set;
 *                                              BENCH_WEBDAV_RUN_DIR=/dev/shm/x puts its data in RAM)
 *   BENCH_SIZE_MB=64 npm run bench:storage    (a short smoke run; BENCH_ROUNDS=n repeats the baselines)
 */
import { execFileSync, spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resultsDir } from './lib/report';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebDavClient, WebDavEndpoint } from '../src/storage/webdav/webdav-client';
import { WebDavRecordingStorage } from '../src/storage/webdav/webdav-recording-storage';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_SIZE_MB ?? 1024) * MiB;
const CHUNK = 256 * 1024;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const repo = resolve(__dirname, '..', '..');

/** A deterministic pseudo-random stream (AES-256-CTR keystream of a seed), generated chunk by chunk. */
function generated(seed: Buffer, size: number): Readable {
  const cipher = createCipheriv('aes-256-ctr', seed, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  let produced = 0;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (produced >= size) return void this.push(null);
      const n = Math.min(CHUNK, size - produced);
      produced += n;
      this.push(cipher.update(zeros.subarray(0, n)));
    },
  });
}

/** Peak RSS sampled every 100 ms. */
class RssSampler {
  peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 100);
  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    return rss;
  }
  reset(): void {
    this.peak = process.memoryUsage.rss();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
}

const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - started) / 1000, value };
}

const mbps = (bytes: number, seconds: number) => Math.round((bytes / 1e6 / seconds) * 10) / 10;
const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

function curl(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn('curl', ['-sS', '--fail', '-o', '/dev/null', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise((performance.now() - started) / 1000) : reject(new Error(`curl exited with ${code}`))));
  });
}

function webdavEndpoint(): { endpoint: WebDavEndpoint; stop?: () => void } {
  if (process.env.WEBDAV_URL) {
    return { endpoint: { url: process.env.WEBDAV_URL, username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD } };
  }
  // BENCH_WEBDAV_RUN_DIR=/dev/shm/rws-bench-webdav keeps Apache's data in RAM: transport without the disk.
  const runDir = process.env.BENCH_WEBDAV_RUN_DIR ?? join(repo, '.run', 'bench-webdav');
  const env = { ...process.env, WEBDAV_RUN_DIR: runDir };
  execFileSync('bash', [join(repo, 'scripts/webdav/start.sh')], { env, stdio: 'inherit' });
  const vars = Object.fromEntries(
    readFileSync(join(runDir, 'env'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    endpoint: { url: vars.WEBDAV_URL, username: vars.WEBDAV_USERNAME, password: vars.WEBDAV_PASSWORD },
    stop: () => execFileSync('bash', [join(repo, 'scripts/webdav/stop.sh')], { env, stdio: 'inherit' }),
  };
}

async function main(): Promise<void> {
  const { endpoint, stop } = webdavEndpoint();
  const client = new WebDavClient(endpoint);
  const storage = new WebDavRecordingStorage(client);
  const prefix = `bench/${randomUUID()}`;
  const seed = randomBytes(32);
  const auth = `${endpoint.username}:${endpoint.password}`;
  const scratch = join(tmpdir(), `rws-bench-${randomUUID()}.bin`);
  const sampler = new RssSampler();
  try {
    // Warm-up: load code paths and open a kept-alive connection before taking the starting RSS.
    await storage.write(`${prefix}/warmup.bin`, generated(seed, MiB), { contentLength: MiB });
    await pipeline((await storage.read(`${prefix}/warmup.bin`)).stream, discard());
    global.gc?.();

    const generator = await timed(async () => {
      const hash = createHash('sha256');
      await pipeline(generated(seed, SIZE), hashing(hash), discard());
      return hash.digest('hex');
    });
    const expectedSha = generator.value;

    execFileSync('sync');
    sampler.reset();
    const startRss = sampler.sample();
    const write = await timed(() => storage.write(`${prefix}/object.bin`, generated(seed, SIZE), { contentLength: SIZE }));
    const writePeak = sampler.peak;
    const read = await timed(async () => {
      const hash = createHash('sha256');
      const opened = await storage.read(`${prefix}/object.bin`);
      await pipeline(opened.stream, hashing(hash), discard());
      return hash.digest('hex');
    });
    const peakRss = sampler.peak;
    if (write.value.size !== SIZE) throw new Error(`stored ${write.value.size} bytes, expected ${SIZE}`);
    if (read.value !== expectedSha) throw new Error('SHA-256 of the bytes read back differs from what was written');

    // Baselines, same server, same run: curl from a file of the same bytes, and the adapter from that file and
    // from the generator. Writes dirty the page cache and later writes pay for earlier ones, so every timed
    // write starts after `sync`, and the order alternates over the rounds; the best round of each counts.
    await pipeline(generated(seed, SIZE), createWriteStream(scratch));
    const times = { adapterGenerated: [write.seconds], adapterFile: [] as number[], curlPut: [] as number[], curlGet: [] as number[], adapterRead: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const steps: Array<[keyof typeof times, () => Promise<number>]> = [
        ['adapterFile', async () => (await timed(() => storage.write(`${prefix}/file-${round}.bin`, createReadStream(scratch, { highWaterMark: CHUNK }), { contentLength: SIZE }))).seconds],
        ['curlPut', () => curl(['-u', auth, '-T', scratch, '-H', 'If-None-Match: *', new URL(`${prefix}/curl-${round}.bin`, client.baseUrl).href])],
        ['adapterGenerated', async () => (await timed(() => storage.write(`${prefix}/gen-${round}.bin`, generated(seed, SIZE), { contentLength: SIZE }))).seconds],
      ];
      for (const [name, run] of round % 2 === 0 ? steps : [...steps].reverse()) {
        execFileSync('sync');
        times[name].push(await run());
      }
      // Keep the server's disk (or tmpfs) from filling up over the rounds.
      for (const name of [`file-${round}.bin`, `curl-${round}.bin`, `gen-${round}.bin`]) await storage.delete(`${prefix}/${name}`);
      const reads: Array<[keyof typeof times, () => Promise<number>]> = [
        ['curlGet', () => curl(['-u', auth, new URL(`${prefix}/object.bin`, client.baseUrl).href])],
        ['adapterRead', async () => (await timed(async () => pipeline((await storage.read(`${prefix}/object.bin`)).stream, discard()))).seconds],
      ];
      for (const [name, run] of round % 2 === 0 ? reads : [...reads].reverse()) times[name].push(await run());
    }
    const best = (name: keyof typeof times) => Math.min(...times[name]);
    const finalPeak = Math.max(sampler.peak, peakRss);

    const result = {
      sizeBytes: SIZE,
      rssMB: { start: mb(startRss), peakDuringWriteAndVerifiedRead: mb(peakRss), growth: mb(peakRss - startRss), peakWhole: mb(finalPeak), growthWhole: mb(finalPeak - startRss) },
      throughputMBps: {
        generatorAndSha256Only: mbps(SIZE, generator.seconds),
        adapterWriteGenerated: mbps(SIZE, best('adapterGenerated')),
        adapterWriteFromFile: mbps(SIZE, best('adapterFile')),
        curlPutFromFile: mbps(SIZE, best('curlPut')),
        adapterReadWithSha256: mbps(SIZE, read.seconds),
        adapterReadDiscard: mbps(SIZE, best('adapterRead')),
        curlGet: mbps(SIZE, best('curlGet')),
      },
      ratios: {
        writeFromFileVsCurl: Math.round((best('curlPut') / best('adapterFile')) * 100) / 100,
        writeGeneratedVsCurl: Math.round((best('curlPut') / best('adapterGenerated')) * 100) / 100,
        readDiscardVsCurl: Math.round((best('curlGet') / best('adapterRead')) * 100) / 100,
        readWithSha256VsCurl: Math.round((best('curlGet') / read.seconds) * 100) / 100,
      },
      secondsPerRound: times,
      writePeakRssMB: mb(writePeak),
      sha256: expectedSha,
      node: process.version,
      measuredAt: new Date().toISOString(),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `RSS start ${result.rssMB.start} MB, peak ${result.rssMB.peakDuringWriteAndVerifiedRead} MB, growth ${result.rssMB.growth} MB ` +
        `(target < 100 MB for 1 GiB): ${result.rssMB.growth < 100 ? 'OK' : 'OVER'}`,
    );
    writeFileSync(join(resultsDir(), 'storage-1g.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    sampler.stop();
    const names = ['warmup.bin', 'object.bin', ...Array.from({ length: ROUNDS }, (_, r) => r).flatMap((r) => [`file-${r}.bin`, `curl-${r}.bin`, `gen-${r}.bin`])];
    for (const name of names) await storage.delete(`${prefix}/${name}`).catch(() => false);
    storage.close();
    rmSync(scratch, { force: true });
    stop?.();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
