import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');

/** A cluster started by scripts/cluster/start.sh, and nodes started beside it. */
export interface BenchCluster {
  lbUrl: string;
  nodeUrls: string[];
  simControlUrl: string;
  opsUsername: string;
  opsPassword: string;
  /** Starts one more RWS node of the same dist, on the same simulator and stores but WITHOUT Redis (a node alone). */
  startLoneNode(): Promise<string>;
  stop(): void;
}

function readEnv(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

async function waitReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

const SERVICES = ['CASSANDRA_CONTACT_POINTS', 'CASSANDRA_KEYSPACE', 'WEBDAV_URL', 'WEBDAV_USERNAME', 'WEBDAV_PASSWORD'];

/**
 * Starts `nodes` RWS nodes with Redis, HAProxy and the simulator pair (the built dist). Cassandra and WebDAV:
 * the ones CLUSTER_SERVICES_ENV names, or those of the environment (a sourced services.env, as bench/smoke.sh
 * runs), else the script starts its own.
 */
export async function startBenchCluster(nodes: number): Promise<BenchCluster> {
  const runDir = mkdtempSync(join(tmpdir(), 'rws-bench-cluster-'));
  const envFile = join(runDir, 'cluster.env');
  const env: NodeJS.ProcessEnv = { ...process.env, CLUSTER_RUN_DIR: join(runDir, 'run'), CLUSTER_ENV_FILE: envFile };
  if (!env.CLUSTER_SERVICES_ENV && SERVICES.every((name) => process.env[name])) {
    env.CLUSTER_SERVICES_ENV = join(runDir, 'services.env');
    writeFileSync(env.CLUSTER_SERVICES_ENV, SERVICES.map((name) => `${name}=${process.env[name]}`).join('\n') + '\n', { mode: 0o600 });
  }
  const lone: ChildProcess[] = [];
  const stop = () => {
    for (const child of lone) child.kill('SIGTERM');
    try {
      execFileSync('bash', [join(repo, 'scripts/cluster/stop.sh')], { env, cwd: repo, stdio: 'ignore' });
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  };
  execFileSync('bash', [join(repo, 'scripts/cluster/start.sh'), '--nodes', String(nodes)], { env, cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  const values = readEnv(envFile);
  const services = readEnv(env.CLUSTER_SERVICES_ENV ?? join(repo, '.run/services.env'));
  return {
    lbUrl: values.RWS_LB_URL,
    nodeUrls: values.RWS_NODE_URLS.split(','),
    simControlUrl: values.SIM_CONTROL_URL,
    opsUsername: values.RWS_OPS_USERNAME,
    opsPassword: values.RWS_OPS_PASSWORD,
    stop,
    startLoneNode: async () => {
      const port = execFileSync(process.execPath, [join(repo, 'scripts/cluster/free-ports.mjs'), '1'], { encoding: 'utf8' }).trim();
      const dataDir = join(runDir, 'lone-node');
      mkdirSync(dataDir, { recursive: true });
      const child = spawn(process.execPath, [join(repo, 'dist/server/main.js')], {
        env: {
          ...services,
          PATH: process.env.PATH,
          PORT: port,
          RWS_DATA_DIR: dataDir,
          RWS_LOG_LEVEL: 'warn',
          RWS_METADATA: 'cassandra',
          RWS_STORAGE: 'webdav',
          SIPSERVER_ADDRESSES: values.SIPSERVER_ADDRESSES,
          RWS_OPS_USERNAME: values.RWS_OPS_USERNAME,
          RWS_OPS_PASSWORD: values.RWS_OPS_PASSWORD,
        },
        stdio: 'ignore',
      });
      lone.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitReady(url);
      return url;
    },
  };
}
