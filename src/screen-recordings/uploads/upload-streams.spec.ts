import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Counter, Registry } from 'prom-client';
import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';
import { UploadFinalizer } from './upload-finalizer';
import { UploadRecord, UploadStaging } from './upload-staging';
import { UploadStreams } from './upload-streams';

/** A finalizer that reads the whole upload, then fails every time with `error`. */
class FailingFinalizer extends UploadFinalizer {
  calls = 0;
  constructor(private readonly error: Error) {
    super();
  }
  async accept(): Promise<{ ccid: string }> {
    return { ccid: 'cc' };
  }
  async finalize(_record: UploadRecord, open: () => Readable): Promise<void> {
    this.calls++;
    for await (const chunk of open()) void chunk;
    throw this.error;
  }
}

describe('UploadStreams.complete', () => {
  const bytes = Buffer.from('0123456789');

  async function completeWith(error: Error): Promise<{ thrown: unknown; finalizes: number }> {
    const staging = new UploadStaging(mkdtempSync(join(tmpdir(), 'rws-streams-')));
    await staging.init();
    const record: UploadRecord = { id: 'upload-streams-1', ccid: 'cc', owner: 'agent1', length: bytes.length, metadata: { recordingId: 'r1' }, createdAt: new Date().toISOString() };
    await staging.create(record);
    const finalizer = new FailingFinalizer(error);
    const streams = new UploadStreams(staging, finalizer, 60_000, new Counter({ name: 'stores', help: 'stores', labelNames: ['start', 'result'], registers: [new Registry()] }));
    streams.ensure(record, 0);
    await staging.append(record.id, 0, Readable.from([bytes]), bytes.length, (offset) => streams.staged(record.id, offset));
    const thrown = await streams.complete(record).then(
      () => undefined,
      (err: unknown) => err,
    );
    return { thrown, finalizes: finalizer.calls };
  }

  it('does not store the staged file again after a final refusal', async () => {
    const refusal = new RwsException(ErrorCode.Conflict, 'already stored');
    expect(await completeWith(refusal)).toEqual({ thrown: refusal, finalizes: 1 });
  });

  it('stores the staged file once more after a failure that may pass', async () => {
    const outage = new RwsException(ErrorCode.DependencyUnavailable, 'storage down');
    expect(await completeWith(outage)).toEqual({ thrown: outage, finalizes: 2 });
  });
});
