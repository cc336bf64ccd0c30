import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratedFileMediaSession } from '../../tools/recorder/media-session';
import { expectEventually } from '../support/test-app';
import { newCallUuid, nextEvent, RecorderTestBed } from './recorder-fixtures';

const MAIN = join(__dirname, '..', '..', 'dist', 'tools', 'recorder', 'main.js');

describe('reference recorder', () => {
  const bed = new RecorderTestBed();

  beforeAll(() => bed.start());
  afterEach(() => bed.cleanUp());
  afterAll(() => bed.stop());

  it('writes one generated media file per screen recording, with its segments, ready for upload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-recorder-media-'));
    const client = bed.recorder('alice', { media: new GeneratedFileMediaSession(dir) });
    await client.connect();
    const call = newCallUuid();
    bed.signal('started', 'alice', call);
    await expectEventually(() => expect(client.recording?.state).toBe('recording'));
    const recordingId = client.recording!.recordingId;
    bed.signal('paused', 'alice', call);
    await expectEventually(() => expect(client.recording?.state).toBe('paused'));
    bed.signal('resumed', 'alice', call);
    await expectEventually(() => expect(client.recording?.state).toBe('recording'));
    const finished = nextEvent<{ recordingId: string; file: string }>(client, 'finished');
    bed.signal('stopped', 'alice', call);
    const { file } = await finished;
    expect(file).toBe(join(dir, `${recordingId}.jsonl`));
    const events = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    expect(events).toEqual(['start', 'pause', 'resume', 'stop']);
  });

  describe('command line (built: dist/tools/recorder/main.js)', () => {
    let child: ChildProcess | undefined;
    afterEach(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
    });

    it('connects with credentials from the environment, logs commands as JSON lines and exits cleanly on SIGTERM', async () => {
      expect(existsSync(MAIN)).toBe(true);
      const mediaDir = mkdtempSync(join(tmpdir(), 'rws-recorder-cli-'));
      child = spawn(process.execPath, [MAIN, '--url', bed.channelUrl, '--media-dir', mediaDir], {
        env: { PATH: process.env.PATH, RECORDER_TOKEN: 'token-carol' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: { event: string; action?: string }[] = [];
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        for (const line of parts) lines.push(JSON.parse(line));
      });
      await expectEventually(() => expect(lines.map((l) => l.event)).toContain('welcome'));
      const call = newCallUuid();
      bed.signal('started', 'carol', call);
      await expectEventually(() => expect(lines).toContainEqual(expect.objectContaining({ event: 'command', action: 'start' })));
      bed.signal('stopped', 'carol', call);
      await expectEventually(() => expect(lines).toContainEqual(expect.objectContaining({ event: 'finished' })));
      const exit = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    });
  });
});
