import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/** p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** p50/p90/p99/max of latency samples in ms, rounded for printing. */
export function latencySummary(samplesMs: number[]): { count: number; p50: number; p90: number; p99: number; max: number } {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { count: samplesMs.length, p50: r(percentile(samplesMs, 50)), p90: r(percentile(samplesMs, 90)), p99: r(percentile(samplesMs, 99)), max: r(percentile(samplesMs, 100)) };
}

/** Samples a process's RSS (own process by default) every `intervalMs` until stopped. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  readonly samples: number[] = [];

  constructor(private readonly read: () => number = () => process.memoryUsage.rss()) {}

  start(intervalMs = 100): this {
    this.samples.push(this.read());
    this.timer = setInterval(() => this.samples.push(this.read()), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): { startMb: number; peakMb: number; growthMb: number } {
    clearInterval(this.timer);
    this.samples.push(this.read());
    const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
    return { startMb: mb(this.samples[0]), peakMb: mb(Math.max(...this.samples)), growthMb: mb(Math.max(...this.samples) - this.samples[0]) };
  }
}

/** Reads another process's RSS in bytes from /proc (Linux). */
export function rssOfPid(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** Where and when a benchmark ran, so figures are comparable. */
export function machineInfo(): Record<string, unknown> {
  return { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 1024 ** 3) };
}

/**
 * `bench/results/` of the source tree (git-ignored), also when running compiled from dist/bench/;
 * BENCH_RESULTS_DIR overrides it (the smoke run writes elsewhere so it never replaces real figures).
 */
export function resultsDir(): string {
  const dir = process.env.BENCH_RESULTS_DIR ?? join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Prints a table of rows and writes `bench/results/<name>.json`. */
export function report(name: string, rows: Record<string, unknown>[], extra: Record<string, unknown> = {}): void {
  console.log(`\n== ${name} ==`);
  console.table(rows);
  writeFileSync(join(resultsDir(), `${name}.json`), JSON.stringify({ name, machine: { ...machineInfo(), loadAverage: loadavg() }, rows, ...extra }, null, 2));
}
