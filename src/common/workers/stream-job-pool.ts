import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { JobChannel, OffThreadTransform } from './off-thread-transform';
import { FromWorker, ToWorker } from './stream-job';
import { startWorker } from './worker-entry';

/** One worker thread and the jobs it runs. */
interface PooledWorker {
  worker: Worker;
  jobs: Map<number, OffThreadTransform<unknown>>;
}

/**
 * Worker threads for CPU-bound stream work (hashing and encrypting media), so the event loop keeps serving
 * I/O while they compute: a node streaming one upload in, hashing it on one worker and encrypting it on
 * another, uses three cores. Workers start on first use; each job stays on one worker (its state lives
 * there) and goes to the one with the fewest jobs.
 */
@Injectable()
export class StreamJobPool implements OnModuleDestroy {
  private readonly logger = new Logger('StreamJobPool');
  private readonly workers: (PooledWorker | undefined)[];
  private nextJob = 1;

  constructor(size = Math.min(4, Math.max(2, availableParallelism()))) {
    this.workers = new Array<PooledWorker | undefined>(size).fill(undefined);
  }

  /**
   * A Transform running `createStreamJob(params)` of the job module at `module` (an absolute path, e.g.
   * `require.resolve('./x-job')`) on a worker; its `result()` is the job's, once the stream ended.
   */
  transform<R>(module: string, params: unknown): OffThreadTransform<R> {
    const slot = this.leastBusy();
    const pooled = (this.workers[slot] ??= this.spawn(slot));
    const job = this.nextJob++;
    return new OffThreadTransform<R>((stream) => {
      pooled.jobs.set(job, stream as OffThreadTransform<unknown>);
      const post = (message: ToWorker, transfer: ArrayBuffer[] = []) => pooled.worker.postMessage(message, transfer);
      post({ type: 'open', job, module, params });
      const channel: JobChannel = {
        send: (message, transfer) => post({ ...message, job } as ToWorker, transfer),
        close: () => pooled.jobs.delete(job),
      };
      return channel;
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w?.worker.terminate()));
    this.workers.fill(undefined);
  }

  private leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.workers.length; i++) {
      if ((this.workers[i]?.jobs.size ?? 0) < (this.workers[best]?.jobs.size ?? 0)) best = i;
    }
    return best;
  }

  private spawn(slot: number): PooledWorker {
    const worker = startWorker(require.resolve('./stream-job-host'));
    const pooled: PooledWorker = { worker, jobs: new Map() };
    // Idle workers must not keep the process alive.
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      const stream = pooled.jobs.get(message.job);
      if (!stream) return;
      if (message.type === 'data') stream.output(message.chunk);
      else if (message.type === 'end') stream.ended(message.output, message.result);
      else stream.failed(new Error(message.message));
    });
    const retire = (error: Error) => {
      if (this.workers[slot] === pooled) this.workers[slot] = undefined;
      for (const stream of [...pooled.jobs.values()]) stream.failed(error);
      pooled.jobs.clear();
    };
    worker.on('error', (err) => {
      this.logger.error({ msg: 'stream worker failed', error: err.message });
      retire(err);
    });
    worker.on('exit', (code) => retire(new Error(`stream worker exited with code ${code}`)));
    return pooled;
  }
}
