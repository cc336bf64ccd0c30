import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LocalCluster } from '../../test/support/local-cluster';

const repo = resolve(__dirname, '../../..');
const SERVICES = ['CASSANDRA_CONTACT_POINTS', 'CASSANDRA_KEYSPACE', 'WEBDAV_URL', 'WEBDAV_USERNAME', 'WEBDAV_PASSWORD'];

/** An RWS node started beside a cluster. */
export interface LoneNode {
  url: string;
  stop(): void;
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

/**
 * Starts one more RWS node of the same dist beside `cluster` (test/support/local-cluster.ts), on the same
 * simulator pair and stores but WITHOUT Redis: a node alone, for the single-node side of a comparison.
 */
export async function startLoneNode(cluster: LocalCluster): Promise<LoneNode> {
  const port = execFileSync(process.execPath, [join(repo, 'scripts/cluster/free-ports.mjs'), '1'], { encoding: 'utf8' }).trim();
  const dataDir = join(cluster.runDir, 'lone-node');
  mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [join(repo, 'dist/server/main.js')], {
    env: {
      ...Object.fromEntries(SERVICES.map((name) => [name, process.env[name]])),
      PATH: process.env.PATH,
      PORT: port,
      RWS_DATA_DIR: dataDir,
      RWS_LOG_LEVEL: 'warn',
      RWS_METADATA: 'cassandra',
      RWS_STORAGE: 'webdav',
      SIPSERVER_ADDRESSES: cluster.sipServerAddresses,
      RWS_OPS_USERNAME: cluster.opsUsername,
      RWS_OPS_PASSWORD: cluster.opsPassword,
    },
    stdio: 'ignore',
  });
  const stop = () => void child.kill('SIGTERM');
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
  } catch (err) {
    stop();
    throw err;
  }
  return { url, stop };
}
