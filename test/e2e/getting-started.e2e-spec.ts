import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectEventually } from '../support/test-app';
import { freePort } from '../support/free-port';

const REPO = resolve(__dirname, '..', '..');
const GUIDE = join(REPO, 'docs', 'getting-started.md');

/** The guide's runnable blocks (```sh getting-started), in order. */
export function gettingStartedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh getting-started\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

function run(script: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH}` } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

/**
 * docs/getting-started.md, run as written against a fresh embedded service (the built one, as `npm start`
 * runs it): only the service's address and the simulator's control URL are swapped for this run's, because
 * other suites may hold the guide's fixed ports. The guide's working directory is a fresh folder that sees the
 * repository's dist/ and node_modules/, so ./data is this service's own.
 */
describe('the getting-started guide', () => {
  let service: ChildProcess;
  let stderr = '';
  let port: number;
  const workdir = mkdtempSync(join(tmpdir(), 'rws-getting-started-'));

  beforeAll(async () => {
    symlinkSync(join(REPO, 'dist'), join(workdir, 'dist'));
    symlinkSync(join(REPO, 'node_modules'), join(workdir, 'node_modules'));
    port = await freePort();
    service = spawn(process.execPath, [join(REPO, 'dist', 'server', 'main.js')], {
      cwd: workdir,
      env: { PATH: process.env.PATH, PORT: String(port), SIPSERVER_SIM_CONTROL_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expectEventually(() => expect(stderr).toMatch(/SIP Server simulator control surface: http:\/\/127\.0\.0\.1:\d+/), 30_000, 100);
  }, 40_000);
  afterAll(async () => {
    if (service.exitCode === null) {
      const exited = new Promise((r) => service.once('exit', r));
      service.kill('SIGTERM');
      await exited;
    }
  });

  it('takes a newcomer from a started service to a replayed call, every command as written', async () => {
    const blocks = gettingStartedBlocks(readFileSync(GUIDE, 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const controlUrl = /SIP Server simulator control surface: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1];
    expect(stderr).toContain(`RWS listening on http://localhost:${port}`);
    const script = ['set -euo pipefail', ...blocks]
      .join('\n')
      .replaceAll('localhost:8080', `localhost:${port}`)
      .replaceAll('http://127.0.0.1:7080', controlUrl);
    const { code, output } = await run(script, workdir);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('voice replayed: identical') });
    expect(output).toContain('screen replayed: identical');
    expect(output).toContain('range request: HTTP 206');
    expect(output).toMatch(/screen duration: \d+(\.\d+)?s/);
  }, 90_000);
});
