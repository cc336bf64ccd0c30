import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from '../support/test-app';
import { freePort } from '../support/free-port';

const MAIN = join(__dirname, '..', '..', 'dist', 'server', 'main.js');
/** Long enough to look at the node while it drains on a loaded machine (the cluster default is 3 s). */
const DRAIN_SECONDS = 4;

/**
 * A rolling restart relies on this (docs/cluster.md): on SIGTERM the built service first drains — /health/live
 * answers 503 `draining`, so the load balancer takes it out, while it still serves every other request — and
 * only then closes and exits 0.
 */
describe('SIGTERM drains before the node stops', () => {
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [MAIN], {
      cwd: mkdtempSync(join(tmpdir(), 'rws-drain-')),
      env: { PATH: process.env.PATH, PORT: String(port), RWS_SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) },
      stdio: 'ignore',
    });
    await expectEventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 30_000, 200);
  }, 40_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers /health/live 503 draining while still serving requests, then exits 0', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    // The signal is handled asynchronously: the first probe may still find the node live.
    await expectEventually(async () => expect((await fetch(`${base}/health/live`)).status).toBe(503), 2_000, 20);
    const live = await fetch(`${base}/health/live`);
    expect(live.headers.get('retry-after')).toBe('1');
    expect(await live.json()).toMatchObject({ status: 'draining' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    // Keep-alive connections are not kept: the next request goes to another node.
    expect(ready.headers.get('connection')).toBe('close');
    expect(child.exitCode).toBeNull();
    expect(await exited).toBe(0);
  }, 40_000);
});
