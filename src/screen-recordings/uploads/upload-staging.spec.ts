import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readDurableMark } from './staging-durability';
import { UploadRecord, UploadStaging } from './upload-staging';

function record(id: string, length: number): UploadRecord {
  return { id, ccid: 'cc', owner: 'agent1', length, metadata: { recordingId: 'r1' }, createdAt: new Date().toISOString() };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('UploadStaging', () => {
  let staging: UploadStaging;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rws-staging-'));
    staging = new UploadStaging(dir);
    await staging.init();
  });

  it('resumes from the bytes kept when the client dropped mid-chunk', async () => {
    await staging.create(record('upload-0001', 10));
    const dropping = new Readable({
      read() {
        this.push(Buffer.from('abcd'));
        this.destroy(new Error('connection reset'));
      },
    });
    const first = await staging.append('upload-0001', 0, dropping, 10);
    expect(first).toEqual({ offset: 4, complete: false });
    const second = await staging.append('upload-0001', 4, Readable.from([Buffer.from('efghij')]), 6);
    expect(second).toEqual({ offset: 10, complete: true });
    expect((await readAll(staging.openRead('upload-0001'))).toString()).toBe('abcdefghij');
  });

  it('never stores more than the upload announced', async () => {
    await staging.create(record('upload-0002', 3));
    const result = await staging.append('upload-0002', 0, Readable.from([Buffer.from('abcdef')]), 3);
    expect(result).toEqual({ offset: 3, complete: false });
    expect((await staging.get('upload-0002'))!.offset).toBe(3);
  });

  it('survives a restart: a new instance sees the record and the offset', async () => {
    await staging.create(record('upload-0003', 8));
    await staging.append('upload-0003', 0, Readable.from([Buffer.from('1234')]), 8);
    const reopened = new UploadStaging(dir);
    expect(await reopened.get('upload-0003')).toMatchObject({ offset: 4, record: { owner: 'agent1', length: 8 } });
  });

  it('refuses a second concurrent writer and unknown or malformed ids', async () => {
    await staging.create(record('upload-0004', 4));
    let release!: () => void;
    const held = staging.exclusive('upload-0004', () => new Promise<void>((r) => (release = r)));
    expect(await staging.exclusive('upload-0004', async () => 1)).toBeUndefined();
    release();
    expect(await held).toEqual({ value: undefined });
    expect(await staging.get('../../etc/passwd')).toBeUndefined();
    expect(await staging.get('unknown-upload')).toBeUndefined();
  });

  it('truncates back to an earlier offset', async () => {
    await staging.create(record('upload-0005', 6));
    await staging.append('upload-0005', 0, Readable.from([Buffer.from('abcdef')]), 6);
    await staging.truncate('upload-0005', 2);
    expect((await staging.get('upload-0005'))!.offset).toBe(2);
  });
});

describe('UploadStaging durability across restarts and reboots', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rws-staging-boot-'));
  });
  const staging = async (bootId: string | null, syncIntervalMs = 60_000) => {
    const s = new UploadStaging(dir, { bootId: async () => bootId, syncIntervalMs });
    await s.init();
    return s;
  };

  it('keeps every written byte across a process restart, and only the fsync\'d ones after a reboot', async () => {
    const first = await staging('boot-a');
    await first.create(record('upload-boot1', 10));
    await first.append('upload-boot1', 0, Readable.from([Buffer.from('abcd')]), 10);

    const restarted = await staging('boot-a');
    expect((await restarted.get('upload-boot1'))!.offset).toBe(4);

    // Nothing was fsync'd yet (long interval): after a reboot the client must resend from 0.
    const rebooted = await staging('boot-b');
    expect((await rebooted.get('upload-boot1'))!.offset).toBe(0);
  });

  it('fsyncs appends in the background; a reboot keeps the bytes the durable mark covers', async () => {
    const first = await staging('boot-a', 0);
    await first.create(record('upload-boot2', 10));
    await first.append('upload-boot2', 0, Readable.from([Buffer.from('abcdef')]), 10);
    await eventually(async () => expect(await readDurableMark(join(dir, 'upload-boot2.durable'))).toEqual({ bootId: 'boot-a', offset: 6 }));

    const rebooted = await staging('boot-b');
    expect((await rebooted.get('upload-boot2'))!.offset).toBe(6);
    expect((await readAll(rebooted.openRead('upload-boot2'))).toString()).toBe('abcdef');
  });

  it('trusts nothing unsynced when the boot cannot be told, and drops files whose record never appeared', async () => {
    const first = await staging(null);
    await first.create(record('upload-boot3', 10));
    await first.append('upload-boot3', 0, Readable.from([Buffer.from('abc')]), 10);
    writeFileSync(join(dir, 'upload-orphan1.part'), 'xyz');

    const again = await staging(null);
    expect((await again.get('upload-boot3'))!.offset).toBe(0);
    expect(existsSync(join(dir, 'upload-orphan1.part'))).toBe(false);
  });

  it('lowers the durable mark when the last chunk is cut off again', async () => {
    const first = await staging('boot-a', 0);
    await first.create(record('upload-boot4', 10));
    await first.append('upload-boot4', 0, Readable.from([Buffer.from('abcdefgh')]), 10);
    await eventually(async () => expect((await readDurableMark(join(dir, 'upload-boot4.durable')))?.offset).toBe(8));
    await first.truncate('upload-boot4', 5);
    expect(await readDurableMark(join(dir, 'upload-boot4.durable'))).toEqual({ bootId: 'boot-a', offset: 5 });
  });
});

async function eventually(probe: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
