import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
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
