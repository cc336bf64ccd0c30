/**
 * The embedded metadata store (issue 12), each RWS in a process of its own started like `npm start`
 * (dist/src/main.js, embedded + filesystem), load clients in processes of their own:
 * - inserts/s over HTTP (one request per recording, 64 in flight), the SQLite store against the journal
 *   store it replaced, interleaved round by round so the shared machine's noise hits both alike;
 * - recording search p50/p99 (100-row pages over HTTP: agent + window, wildcard numbers, CallUUID) as one
 *   contact center grows through the given sizes (filled through the store by a separate process while the
 *   server is stopped), with the restarted server's RSS and the size of the database files at each size.
 *
 * Run: npm run bench:embedded -- [--journal-build DIR] [--sizes 100000,1000000] [--inserts 5000] [--searches 200] [--smoke]
 * --journal-build: a built checkout of the journal-store version (e.g. `git archive e0620a2`, node_modules
 * linked, `tsc -p tsconfig.build.json`); without it only the SQLite store is measured.
 * Writes bench/results/embedded-store.json.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createContactCenter } from '../test/support/recording-fixtures';
import type { TestApp } from '../test/support/test-app';
import { basicAuth } from '../test/support/test-app';
import { childJob } from './lib/child-job';
import { documents, httpInsertRate, round2, searchKinds } from './lib/recording-workload';
import { machineInfo, report, rssOfPid } from './lib/report';
import type { FillJob, FillOutcome } from './support/embedded-fill';
import { freePort } from '../test/support/free-port';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const SMOKE = process.argv.includes('--smoke');
const JOURNAL_BUILD = arg('journal-build', '');
const SIZES = arg('sizes', SMOKE ? '1000,2000' : '100000,1000000').split(',').map(Number);
const INSERTS = Number(arg('inserts', SMOKE ? '300' : '5000'));
const ROUNDS = Number(arg('rounds', SMOKE ? '1' : '3'));
const SEARCHES = Number(arg('searches', SMOKE ? '10' : '200'));
const CONCURRENCY = 64;
/** The repository root (this file runs from dist/bench/). */
const THIS_BUILD = resolve(__dirname, '..', '..');
const OPS_PASSWORD = 'bench-ops-password';

interface Server {
  app: TestApp;
  process: ChildProcess;
  dataDir: string;
  /** Stops the server; its data directory is removed unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/** Starts `<build>/dist/src/main.js` on a fresh data directory and waits until it is ready. */
async function startServer(build: string, dataDir = mkdtempSync(join(tmpdir(), 'rws-bench-embedded-'))): Promise<Server> {
  const port = await freePort();
  // Builds from before the composition root moved out of src/ start from dist/src/main.js.
  const entry = [join(build, 'dist', 'server', 'main.js'), join(build, 'dist', 'src', 'main.js')].find((path) => existsSync(path))!;
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH, PORT: String(port), RWS_DATA_DIR: dataDir, RWS_METADATA: 'embedded', RWS_STORAGE: 'filesystem', RWS_OPS_USERNAME: 'ops', RWS_OPS_PASSWORD: OPS_PASSWORD, RWS_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${build} exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 600) throw new Error(`${build} not ready within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const app = { url, opsAuth: basicAuth('ops', OPS_PASSWORD) } as TestApp;
  return {
    app,
    process: child,
    dataDir,
    stop: async (keepData = false) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}


const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Insert rates over HTTP, the contenders interleaved round by round, each round with fresh recordings. */
async function insertComparison(): Promise<Record<string, unknown>[]> {
  const contenders: [string, string][] = [['sqlite', THIS_BUILD]];
  if (JOURNAL_BUILD) contenders.push(['journal', resolve(JOURNAL_BUILD)]);
  const servers = new Map<string, { server: Server; ccid: string; rates: number[] }>();
  for (const [name, build] of contenders) {
    const server = await startServer(build);
    servers.set(name, { server, ccid: await createContactCenter(server.app), rates: [] });
  }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name] of contenders) {
        const s = servers.get(name)!;
        s.rates.push(round2(await httpInsertRate(s.server.app, s.ccid, documents(500 + round * 10 + s.rates.length, INSERTS), CONCURRENCY)));
        console.log(`insert round ${round + 1} ${name}: ${s.rates[s.rates.length - 1]}/s`);
      }
    }
    return contenders.map(([name]) => {
      const s = servers.get(name)!;
      return { store: name, insertsPerRound: INSERTS, rounds: s.rates.join(' '), medianPerSecond: median(s.rates), rssMb: mb(rssOfPid(s.server.process.pid!)), diskMb: mb(dirBytes(s.server.dataDir)) };
    });
  } finally {
    for (const { server } of servers.values()) await server.stop();
  }
}

/**
 * One contact center grows through SIZES: between sizes the server stops and a fill process inserts the
 * difference through the store (HTTP inserts are measured above; filling 1M over HTTP would take hours on
 * this machine). The server then restarts on the directory, and searches, RSS and disk are measured.
 */
async function searchGrowth(): Promise<Record<string, unknown>[]> {
  let server = await startServer(THIS_BUILD);
  const dataDir = server.dataDir;
  const ccid = await createContactCenter(server.app);
  const rows: Record<string, unknown>[] = [];
  const agents = new Set<string>();
  const ids: string[] = [];
  let inserted = 0;
  let seed = 2000;
  try {
    for (const size of SIZES) {
      await server.stop(true);
      const batch = 10_000;
      const fill = await childJob<FillJob, FillOutcome>('embedded-fill', { dataDir, ccid, firstSeed: seed, count: size - inserted, batch, sampleIds: 20_000 });
      if (fill.error) throw new Error(`fill failed: ${fill.error}`);
      const fillPerSecond = round2((size - inserted) / (fill.elapsedMs / 1000));
      seed += Math.ceil((size - inserted) / batch);
      inserted = size;
      fill.agents.forEach((a) => agents.add(a));
      ids.push(...fill.ids);
      const restartStarted = performance.now();
      server = await startServer(THIS_BUILD, dataDir);
      const restartMs = Math.round(performance.now() - restartStarted);
      const search = await searchKinds(server.app, ccid, SEARCHES, [...agents], ids);
      const rssMb = mb(rssOfPid(server.process.pid!));
      const diskMb = mb(dirBytes(dataDir));
      console.log(JSON.stringify({ recordings: size, fillPerSecond, restartMs, rssMb, diskMb, search }));
      for (const [kind, figures] of Object.entries(search)) {
        rows.push({ recordings: size, kind, ...figures, rssMb, diskMb, restartMs, storeFillPerSecond: fillPerSecond, met: figures.p99 <= 50 });
      }
    }
  } finally {
    await server.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const inserts = await insertComparison();
  console.table(inserts);
  const search = await searchGrowth();
  report('embedded-store', search, { inserts, machineAfter: { ...machineInfo(), loadAverage: loadavg() }, sizes: SIZES, searches: SEARCHES });
  console.table(inserts);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
