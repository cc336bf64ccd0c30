import { ChildProcessWithoutNullStreams } from 'node:child_process';
import { basicAuth, TestApp } from '../support/test-app';
import { exitOf, spawnRwsNode } from '../support/ts-child-process';

const OPS_PASSWORD = 'ops-test-password';

/**
 * One RWS node in a process of its own on an embedded store and filesystem storage in `dataDir`, so that a
 * crash test can kill it with SIGKILL (no shutdown hooks) and start the next one on the same data.
 */
export class NodeProcess {
  private child: ChildProcessWithoutNullStreams | undefined;

  private readonly env: Record<string, string>;

  constructor(dataDir: string, env: Record<string, string>) {
    this.env = {
      PORT: '0',
      RWS_DATA_DIR: dataDir,
      RWS_METADATA: 'embedded',
      RWS_STORAGE: 'filesystem',
      RWS_OPS_USERNAME: 'ops',
      RWS_OPS_PASSWORD: OPS_PASSWORD,
      RWS_LOG_LEVEL: 'error',
      ...env,
    };
  }

  async start(): Promise<TestApp> {
    const { child, url } = await spawnRwsNode(this.env);
    this.child = child;
    return { url, opsAuth: basicAuth('ops', OPS_PASSWORD) } as TestApp;
  }

  /** Kills the node with SIGKILL and waits for it to be gone. */
  async kill(): Promise<void> {
    this.child!.kill('SIGKILL');
    await exitOf(this.child!);
  }

  /** Stops a node still running (afterAll). */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exitOf(child);
    }
  }
}
