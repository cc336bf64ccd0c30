import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** A private redis-server on a free loopback port (no persistence), for suites that test a Redis adapter. */
export interface RedisProcess {
  url: string;
  /**
   * kill -9 and start again on the same port, empty (no persistence): what a Redis crash looks like to clients.
   * `whileDown` runs between the two.
   */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisProcess> {
  if (!hasCommand('redis-server')) execFileSync('bash', [join(__dirname, '../../scripts/install-system-deps.sh')], { stdio: 'inherit' });
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rws-redis-'));
  const launch = async (): Promise<ChildProcess> => {
    const started = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
        return started;
      } catch {
        if (Date.now() > deadline) throw new Error('redis-server did not start (is the Debian package installed? scripts/install-system-deps.sh)');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  let child = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async (whileDown) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      await whileDown?.();
      child = await launch();
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
