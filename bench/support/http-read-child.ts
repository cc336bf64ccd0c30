/**
 * Load client of the P4 bench, run in its own process: reads one URL whole, then `count` random Range reads,
 * with plain node:http (the same client for RWS playback and for the WebDAV baseline). Prints one JSON line:
 * `{fullMs, fullBytes, ttfbMs[], rangeMs[]}`. Args: url authorization size count seed
 * (`size`: the plaintext size; ranges are drawn within it).
 */
import { request } from 'node:http';

interface Timed {
  status: number;
  bytes: number;
  ttfbMs: number;
  totalMs: number;
}

function get(url: string, authorization: string, range?: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { headers: { Authorization: authorization, ...(range ? { Range: range } : {}) } }, (res) => {
      let ttfb = -1;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        if (ttfb < 0) ttfb = performance.now() - t0;
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ttfbMs: ttfb < 0 ? performance.now() - t0 : ttfb, totalMs: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Deterministic ranges so that RWS and the baseline read the same offsets. */
function* ranges(size: number, count: number, seed: number): Generator<[number, number]> {
  let x = seed >>> 0 || 1;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < count; i++) {
    const start = Math.floor(next() * (size - 1));
    const length = 1 + Math.floor(next() * 1024 * 1024);
    yield [start, Math.min(size - 1, start + length - 1)];
  }
}

async function main(): Promise<void> {
  const [url, authorization, sizeArg, countArg, seedArg] = process.argv.slice(2);
  const size = Number(sizeArg);
  const full = await get(url, authorization);
  // The ciphertext may be a padding block longer than the plaintext: ranges stay within `size` for both.
  if (full.status !== 200 || full.bytes < size) throw new Error(`full read: HTTP ${full.status}, ${full.bytes} of ${size} bytes`);
  const ttfbMs: number[] = [];
  const rangeMs: number[] = [];
  for (const [start, end] of ranges(size, Number(countArg), Number(seedArg))) {
    const part = await get(url, authorization, `bytes=${start}-${end}`);
    if (part.status !== 206 || part.bytes !== end - start + 1) throw new Error(`range ${start}-${end}: HTTP ${part.status}, ${part.bytes} bytes`);
    ttfbMs.push(part.ttfbMs);
    rangeMs.push(part.totalMs);
  }
  process.stdout.write(`${JSON.stringify({ fullMs: full.totalMs, fullBytes: full.bytes, ttfbMs, rangeMs })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`http read failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
