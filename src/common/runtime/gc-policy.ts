import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Lets V8 weigh Buffer memory against its whole heap budget instead of a fixed step.
 *
 * An upload streams through the node as short-lived Buffers (socket reads, ciphertext coming back from the
 * cipher worker): about 2 MB of them per MB received. By default V8 starts a full mark-compact whenever such
 * "external" memory has grown 64 MB since the last one, whatever the heap holds: ~87 mark-compacts per 256 MB
 * upload, which kept the event loop at 100 % and V8's marking threads on most of the second core, and capped
 * tus ingest at ~100 MB/s. Counting external memory in the global limit (V8's own flag) cut that to ~30 and
 * raised ingest 1.2-1.5x and playback 1.3x (bench/RESULTS.md, P3/P4), for a resident plateau ~100-250 MB higher
 * while bytes stream (bounded: it does not grow with file size; docs/operations.md, "Memory"). Process-wide
 * and idempotent: the server, the e2e tests and the benchmarks all run under it.
 */
export function applyGcPolicy(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--external-memory-accounted-in-global-limit');
}
