/**
 * P4 (playback) for the crypto layer: decrypt throughput of the range decryptor against the machine's
 * AES-256-CBC ceiling (`openssl speed`) and a plain read of the same ciphertext, and the time to first
 * byte of Range reads. Ratios are measured side by side in one run; absolute figures are context only.
 *
 *   npm run bench:crypto              # 256 MB file
 *   BENCH_MB=64 npm run bench:crypto  # smaller smoke run
 */
import { execFileSync } from 'node:child_process';
import { constants, createDecipheriv, generateKeyPairSync, publicEncrypt, randomBytes, randomInt } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unwrapContentKey } from '../src/crypto/keys/rsa-key-transport';
import { OAEP_SHA256 } from '../src/crypto/cms/enveloped-data';
import { MediaIntegrity } from '../src/crypto/media/chunk-integrity';
import { fileSource } from '../src/crypto/media/ciphertext-sources';
import { prepareDecryption } from '../src/crypto/media/decryptable-media';
import { MediaEncryptor } from '../src/crypto/media/media-encryptor';

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_MB ?? 256);
const RANGE_READS = Number(process.env.BENCH_RANGES ?? 200);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rws-bench-crypto-'));
  try {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const path = join(dir, 'media.bin');
    const integrity = await encryptFile(path, key, iv);
    const ciphertextSize = integrity.ciphertextSize;

    const ceiling = opensslSpeed();
    // Each measurement runs 3 times, interleaved, best kept: the machines are shared and noisy.
    const runs: Record<string, number[]> = { plainRead: [], nodeAesCbc: [], verified: [], unverified: [] };
    for (let round = 0; round < 3; round++) {
      runs.plainRead.push(await throughput(ciphertextSize, () => drain(createReadStream(path, { highWaterMark: 256 * 1024 }))));
      runs.nodeAesCbc.push(await throughput(ciphertextSize, () => nodeDecryptFile(path, key, iv)));
      runs.verified.push(await throughput(integrity.plaintextSize, async () => drain(await (await prepareDecryption({ contentKey: key, iv }, fileSource(path), integrity)).open())));
      runs.unverified.push(await throughput(integrity.plaintextSize, async () => drain(await (await prepareDecryption({ contentKey: key, iv }, fileSource(path))).open())));
    }
    const best = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.max(...v)]));

    const rssBefore = process.memoryUsage().rss;
    await drain(await (await prepareDecryption({ contentKey: key, iv }, fileSource(path), integrity)).open());
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / MB;

    const ttfb = await rangeTimeToFirstByte(path, key, iv, integrity);

    const figures = {
      fileMb: SIZE_MB,
      opensslSpeedMBps: ceiling,
      plainFileReadMBps: round(best.plainRead),
      nodeAesCbcDecryptMBps: round(best.nodeAesCbc),
      rangeDecryptorVerifiedMBps: round(best.verified),
      rangeDecryptorUnverifiedMBps: round(best.unverified),
      ratios: {
        verifiedVsOpensslDecrypt: ratio(best.verified, ceiling.aes256CbcDecrypt),
        verifiedVsOpensslEncrypt: ratio(best.verified, ceiling.aes256CbcEncrypt),
        verifiedVsPlainFileRead: ratio(best.verified, best.plainRead),
        unverifiedVsPlainFileRead: ratio(best.unverified, best.plainRead),
        verifiedVsNodeAesCbc: ratio(best.verified, best.nodeAesCbc),
      },
      rangeReads: ttfb,
      rssGrowthDuringFullReadMb: round(rssGrowthMb),
    };
    print(figures);
    mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
    writeFileSync(join(__dirname, '..', '..', 'bench', 'results', 'crypto-playback.json'), JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function encryptFile(path: string, key: Buffer, iv: Buffer): Promise<MediaIntegrity> {
  const encryptor = new MediaEncryptor({ contentKey: key, iv });
  const block = randomBytes(MB);
  const source = Readable.from(
    (function* () {
      for (let i = 0; i < SIZE_MB; i++) yield block.map((b) => b ^ i);
    })(),
  );
  await pipeline(source, encryptor, createWriteStream(path));
  return encryptor.integrity();
}

/** `openssl speed -evp aes-256-cbc` (encrypt, and -decrypt) on 256 KiB blocks, in MB/s. */
function opensslSpeed(): { aes256CbcEncrypt: number; aes256CbcDecrypt: number } {
  const run = (...extra: string[]): number => {
    const out = execFileSync('openssl', ['speed', '-evp', 'aes-256-cbc', '-seconds', '2', '-bytes', String(256 * 1024), ...extra], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const line = out.trim().split('\n').pop() ?? '';
    const kPerSecond = Number(/([\d.]+)k\s*$/.exec(line)?.[1]);
    return round((kPerSecond * 1000) / 1e6);
  };
  return { aes256CbcEncrypt: run(), aes256CbcDecrypt: run('-decrypt') };
}

async function nodeDecryptFile(path: string, key: Buffer, iv: Buffer): Promise<void> {
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  for await (const part of createReadStream(path, { highWaterMark: 256 * 1024 })) decipher.update(part as Buffer);
  decipher.final();
}

/** Time to first byte of random Range reads: key unwrap (RSA-OAEP, as each play does) + open + first verified bytes. */
async function rangeTimeToFirstByte(path: string, key: Buffer, iv: Buffer, integrity: MediaIntegrity) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key);
  const firstByte: number[] = [];
  const decryptOnly: number[] = [];
  for (let i = 0; i < RANGE_READS; i++) {
    const start = randomInt(integrity.plaintextSize - 1);
    const end = Math.min(integrity.plaintextSize - 1, start + randomInt(4 * MB));
    const t0 = performance.now();
    const contentKey = unwrapContentKey(privateKey, OAEP_SHA256, wrapped, 32);
    const media = await prepareDecryption({ contentKey, iv }, fileSource(path), integrity);
    const t1 = performance.now();
    const stream = await media.open({ start, end });
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    const t2 = performance.now();
    stream.destroy();
    firstByte.push(t2 - t0);
    decryptOnly.push(t2 - t1);
  }
  return { count: RANGE_READS, ttfbMs: percentiles(firstByte), ttfbWithoutUnwrapMs: percentiles(decryptOnly) };
}

async function throughput(bytes: number, action: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await action();
  return bytes / MB / ((performance.now() - t0) / 1000);
}

async function drain(stream: Readable): Promise<void> {
  for await (const part of stream) void part;
}

function percentiles(values: number[]): { p50: number; p90: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[sorted.length - 1]) };
}

const round = (n: number): number => Math.round(n * 100) / 100;
const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

function print(figures: object): void {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
