/**
 * P4 (playback) for the crypto layer: decrypt throughput of the range decryptor against the machine's
 * AES-256-CBC ceiling (`openssl speed`) and a plain read of the same ciphertext, and the time to first
 * byte of Range reads. Ratios are measured side by side in one run; absolute figures are context only.
 *
 *   npm run bench:crypto              # 256 MB file; figures in bench/results/crypto-playback.json
 *   BENCH_MB=64 npm run bench:crypto  # smaller smoke run (BENCH_RANGES=n Range reads, default 200)
 */
import { execFileSync } from 'node:child_process';
import { constants, createDecipheriv, generateKeyPairSync, publicEncrypt, randomBytes, randomInt } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
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
import { latencySummary, report, RssSampler } from './lib/report';

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

    const rss = new RssSampler().start(50);
    await drain(await (await prepareDecryption({ contentKey: key, iv }, fileSource(path), integrity)).open());
    const memory = rss.stop();

    const ttfb = await rangeTimeToFirstByte(path, key, iv, integrity);
    const mbps = (n: number): number => Math.round(n);
    report(
      'crypto-playback',
      [
        { what: 'openssl speed -evp aes-256-cbc (encrypt)', MBps: ceiling.aes256CbcEncrypt },
        { what: 'openssl speed -evp aes-256-cbc -decrypt', MBps: ceiling.aes256CbcDecrypt },
        { what: 'plain read of the ciphertext file', MBps: mbps(best.plainRead) },
        { what: 'file read + node AES-256-CBC decrypt', MBps: mbps(best.nodeAesCbc) },
        { what: 'range decryptor, chunk tags verified', MBps: mbps(best.verified), vsOpensslDecrypt: ratio(best.verified, ceiling.aes256CbcDecrypt), vsOpensslEncrypt: ratio(best.verified, ceiling.aes256CbcEncrypt), vsPlainRead: ratio(best.verified, best.plainRead) },
        { what: 'range decryptor, no tags (media-server files)', MBps: mbps(best.unverified), vsOpensslDecrypt: ratio(best.unverified, ceiling.aes256CbcDecrypt), vsOpensslEncrypt: ratio(best.unverified, ceiling.aes256CbcEncrypt), vsPlainRead: ratio(best.unverified, best.plainRead) },
      ],
      { fileMb: SIZE_MB, rangeReads: ttfb, fullReadRss: memory },
    );
    console.log('\nRange reads, time to first byte (ms): with RSA-OAEP unwrap', ttfb.ttfbMs, '\n  decrypt only', ttfb.ttfbWithoutUnwrapMs);
    console.log('RSS during a full verified read (MB):', memory);
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
  return { ttfbMs: latencySummary(firstByte), ttfbWithoutUnwrapMs: latencySummary(decryptOnly) };
}

async function throughput(bytes: number, action: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await action();
  return bytes / MB / ((performance.now() - t0) / 1000);
}

async function drain(stream: Readable): Promise<void> {
  for await (const part of stream) void part;
}

const round = (n: number): number => Math.round(n * 100) / 100;
const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
