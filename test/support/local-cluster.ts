import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// test/support/ in the source tree, or dist/test/support/ when a compiled benchmark uses this helper.
const repo = [resolve(__dirname, '../..'), resolve(__dirname, '../../..')].find((dir) => existsSync(join(dir, 'scripts/cluster/start.sh')))!;

/** A cluster started by scripts/cluster/start.sh (the script users run), for one suite. */
export interface LocalCluster {
  lbUrl: string;
  nodeUrls: string[];
  simControlUrl: string;
  opsUsername: string;
  opsPassword: string;
  redisUrl: string;
  /** The simulator pair, as SIPSERVER_ADDRESSES (for a node started beside the cluster). */
  sipServerAddresses: string;
  runDir: string;
  /** Pid of a process the script (or this helper) started, by its name in the pids file (`redis`, `node1` …). */
  pidOf(name: string): number;
  /** Starts Redis again with the cluster's own config and port (after a test stopped or killed it): `cluster:redis start`. */
  restartRedis(): void;
  /** Restarts node `index` (1-based) as an operator does: `cluster:restart-node <index>` (drain, stop, start, ready). */
  restartNode(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Redis, the simulator pair, `nodes` RWS nodes (the built dist: `npm run build` first) and HAProxy on
 * loopback. Cassandra and WebDAV are the ones the integration environment already runs (CASSANDRA_* and
 * WEBDAV_* from services.env): this never starts a second Cassandra. `extraEnv` reaches start.sh (e.g.
 * CLUSTER_NODE_MAIN for a benchmark's node entry, RWS_* settings every node gets).
 */
export async function startLocalCluster(nodes: number, extraEnv: Record<string, string> = {}): Promise<LocalCluster> {
  const required = ['CASSANDRA_CONTACT_POINTS', 'CASSANDRA_KEYSPACE', 'WEBDAV_URL', 'WEBDAV_USERNAME', 'WEBDAV_PASSWORD'];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`the cluster suite needs the shared services (source .run/services.env): ${missing.join(', ')} unset`);
  const runDir = mkdtempSync(join(tmpdir(), 'rws-cluster-'));
  const servicesEnv = join(runDir, 'services.env');
  writeFileSync(servicesEnv, required.map((name) => `${name}=${process.env[name]}`).join('\n') + '\n', { mode: 0o600 });
  const envFile = join(runDir, 'cluster.env');
  const env = { ...process.env, ...extraEnv, CLUSTER_SERVICES_ENV: servicesEnv, CLUSTER_RUN_DIR: join(runDir, 'run'), CLUSTER_ENV_FILE: envFile };
  const stop = async () => {
    await run('bash', [join(repo, 'scripts/cluster/stop.sh')], { env, cwd: repo }).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await run('bash', [join(repo, 'scripts/cluster/start.sh'), '--nodes', String(nodes)], { env, cwd: repo, timeout: 240_000 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    await stop();
    throw new Error(`cluster:start failed: ${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
  const values = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const pidsFile = join(env.CLUSTER_RUN_DIR, 'pids');
  const pidOf = (name: string) => {
    const lines = readFileSync(pidsFile, 'utf8').trim().split('\n').reverse();
    const line = lines.find((l) => l.split(' ')[0] === name);
    if (!line) throw new Error(`no ${name} in ${pidsFile}`);
    return Number(line.split(' ')[1]);
  };
  return {
    lbUrl: values.RWS_LB_URL,
    nodeUrls: values.RWS_NODE_URLS.split(','),
    simControlUrl: values.SIM_CONTROL_URL,
    opsUsername: values.RWS_OPS_USERNAME,
    opsPassword: values.RWS_OPS_PASSWORD,
    redisUrl: values.REDIS_URL,
    sipServerAddresses: values.SIPSERVER_ADDRESSES,
    runDir: env.CLUSTER_RUN_DIR,
    pidOf,
    restartRedis: () => {
      execFileSync('bash', [join(repo, 'scripts/cluster/redis.sh'), 'start'], { env, cwd: repo, stdio: 'ignore' });
    },
    restartNode: async (index: number) => {
      await run('bash', [join(repo, 'scripts/cluster/restart-node.sh'), String(index)], { env, cwd: repo, timeout: 180_000 });
    },
    stop,
  };
}
