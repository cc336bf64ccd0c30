import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from '../support/test-app';
import { freePort } from '../support/free-port';

const MAIN = join(__dirname, '..', '..', 'dist', 'server', 'main.js');

/** These run the built service (scripts/test-all.sh builds first), the way `npm start` does. */
describe('booting the built service', () => {
  it('stops at once with a message naming each bad setting', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, RWS_METADATA: 'mysql', RWS_STORAGE: 'webdav' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/RWS_METADATA/);
    expect(result.stdout).not.toMatch(/Nest application successfully started/);
  });

  it('refuses to run the built-in SIP Server simulator with production stores, naming SIPSERVER_ADDRESSES', () => {
    // Cassandra is never contacted: the configuration is refused before anything starts.
    for (const stores of [{ RWS_METADATA: 'cassandra' }, { RWS_STORAGE: 'webdav', WEBDAV_URL: 'http://127.0.0.1:1/dav/' }]) {
      const result = spawnSync(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH, RWS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rws-boot-')), PORT: '0', ...stores },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(78);
      expect(result.stderr).toMatch(/SIPSERVER_ADDRESSES: required with RWS_METADATA=cassandra or RWS_STORAGE=webdav/);
      expect(result.stderr).toMatch(/RWS_SIPSERVER_SIMULATOR=true/);
    }
  });

  describe('with no configuration at all', () => {
    let child: ChildProcess;
    let port: number;
    const dataDir = mkdtempSync(join(tmpdir(), 'rws-boot-'));
    let stderr = '';

    beforeAll(async () => {
      port = await freePort();
      child = spawn(process.execPath, [MAIN], { cwd: dataDir, env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    });
    afterAll(async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    });

    it('is ready within 30 s and serves the ops API with the generated account', async () => {
      await expectEventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(res.status).toBe(200);
      }, 30_000, 200);
      const credentials = JSON.parse(readFileSync(join(dataDir, 'data', 'ops-credentials.json'), 'utf8'));
      expect(stderr).toContain('Generated ops account');
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/ops/contact-centers`, {
        headers: { Authorization: `Basic ${Buffer.from(`${credentials.userName}:${credentials.password}`).toString('base64')}` },
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toEqual({ statusCode: 0, uris: [expect.stringMatching(/\/api\/v2\/ops\/contact-centers\/[0-9a-f-]{36}$/)] });
    }, 40_000);

    it('says in plain lines where it listens, where the simulator is driven, and that it stopped', async () => {
      await expectEventually(() => expect(stderr).toContain('SIP Server simulator control surface: http://127.0.0.1:'), 30_000, 100);
      expect(stderr).toContain(`RWS listening on http://localhost:${port}`);
      const controlUrl = /SIP Server simulator control surface: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1];
      expect((await fetch(`${controlUrl}/state`)).status).toBe(200);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('RWS shutting down (SIGTERM)');
      expect(stderr).toContain('RWS stopped');
    }, 40_000);
  });
});
