import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { pack as tarPack, Pack } from 'tar-stream';
import type { ExportItem, ExportJob } from './export-job';
import { ExportMember, ExportMembers, isSourceOutage } from './export-members';
import { ExportRunner } from './export-runner';
import { ExportSelectionWalker } from './export-selection';
import { ExportStore } from './export.store';
import { RecordingExporter } from './recording-exporter';

/** Name of the archive member that lists the recordings that could not be exported, with their reasons. */
export const FAILURES_MEMBER = 'failures.json';

/**
 * Streams an archive job's selection to the caller as a tar (ustar; pax headers for long names), memory
 * flat: one member at a time, each read from storage (decrypted when asked) as the client takes it, paced
 * with the node's other exports. A recording that cannot be exported before its first byte (media missing,
 * no key) is left out and listed in `failures.json` at the end and in the job's failed items. A failure
 * after a member's header was sent, a client that goes away, or an outage cuts the archive short (the
 * response is aborted, never a tar that looks complete); the job is ready for another download.
 */
@Injectable()
export class ArchiveExport {
  constructor(
    private readonly store: ExportStore,
    private readonly selection: ExportSelectionWalker,
    private readonly members: ExportMembers,
    private readonly exporter: RecordingExporter,
    private readonly runner: ExportRunner,
  ) {}

  async stream(job: ExportJob, out: Writable): Promise<void> {
    const archive = tarPack();
    archive.pipe(out as unknown as NodeJS.WritableStream);
    const gone = new AbortController();
    out.once('close', () => {
      gone.abort();
      archive.destroy();
    });
    Object.assign(job, { state: 'running', startedAt: new Date().toISOString(), finishedAt: undefined, exported: 0, failed: 0, bytes: 0, after: undefined, lastError: undefined });
    job.total = await this.selection.count(job);
    await this.save(job);
    const failures: { recordingId: string; reason: string }[] = [];
    try {
      for await (const { doc, position } of this.selection.walk(job)) {
        if (gone.signal.aborted) throw new Error('the client went away before the archive was complete');
        let members: ExportMember[];
        try {
          members = await this.members.of(job.ccid, doc, job.media);
        } catch (err) {
          if (isSourceOutage(err)) throw err;
          failures.push({ recordingId: doc.id, reason: (err as Error).message });
          await this.record(job, { recordingId: doc.id, state: 'failed', bytes: 0, media: [], reason: (err as Error).message, updatedAt: new Date().toISOString() });
          job.failed++;
          continue;
        }
        const bytes = members.reduce((sum, m) => sum + m.size, 0);
        await this.exporter.pacer.spend(bytes);
        for (const member of members) await addMember(archive, member, gone.signal);
        await this.record(job, { recordingId: doc.id, state: 'done', bytes, media: [], updatedAt: new Date().toISOString() });
        job.exported++;
        job.bytes += bytes;
        job.after = position;
        await this.save(job);
      }
      archive.entry({ name: FAILURES_MEMBER, mtime: new Date() }, Buffer.from(JSON.stringify(failures, null, 2)));
      archive.finalize();
      if (!out.writableFinished) await once(out, 'finish');
    } catch (err) {
      archive.destroy();
      out.destroy(err as Error);
      job.state = 'ready';
      job.lastError = `the download was cut short: ${(err as Error).message}`;
      await this.save(job).catch(() => undefined);
      return;
    }
    await this.runner.settle(job, 'finished');
  }

  private async record(job: ExportJob, item: ExportItem): Promise<void> {
    await this.store.putItem(job.ccid, job.id, item);
  }

  private async save(job: ExportJob): Promise<void> {
    job.updatedAt = new Date().toISOString();
    await this.store.putJob(job);
  }
}

/** Writes one member, with backpressure from the archive (and so from the client). */
async function addMember(archive: Pack, member: ExportMember, gone: AbortSignal): Promise<void> {
  const source: Readable = await member.open();
  let settled: (err?: Error | null) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settled = (err) => (err ? reject(err) : resolve());
  });
  const sink = archive.entry({ name: member.name, size: member.size, mtime: new Date() }, (err) => settled(err));
  try {
    for await (const chunk of source) {
      if (!sink.write(chunk as Buffer)) await once(sink as unknown as NodeJS.EventEmitter, 'drain', { signal: gone });
    }
    sink.end(() => undefined);
  } catch (err) {
    source.destroy();
    sink.destroy(err as Error);
    throw err;
  }
  await done;
}
