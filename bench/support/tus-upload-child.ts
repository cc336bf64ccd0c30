/**
 * Load client of the P3 bench, run in its own process so RWS's RSS is measured alone: uploads one file with
 * the reference recorder's tus client (tools/recorder/tus-uploader.ts) and prints `{createMs, transferMs, lastPatchMs}`
 * as one JSON line. Args: baseUrl authorization file recordingId [chunkBytes].
 */
import { TusUploader } from '../../tools/recorder/tus-uploader';

/** Times each PATCH (the last one also covers RWS's finalization: the rest of the store + metadata). */
const patches: number[] = [];

async function main(): Promise<void> {
  const [baseUrl, authorization, file, recordingId, chunk] = process.argv.slice(2);
  const uploader = new TusUploader({ baseUrl, authorization, chunkSize: chunk ? Number(chunk) : undefined, retries: 2, retryDelayMs: 100, onPatch: (ms) => patches.push(ms) });
  const t0 = performance.now();
  const upload = await uploader.create(file, recordingId);
  const t1 = performance.now();
  const stored = await uploader.resume(upload, file);
  const t2 = performance.now();
  uploader.close();
  process.stdout.write(`${JSON.stringify({ createMs: t1 - t0, transferMs: t2 - t1, bytes: stored, patches: patches.length, lastPatchMs: patches[patches.length - 1] ?? 0 })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`tus upload failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
