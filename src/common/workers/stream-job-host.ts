import { parentPort } from 'node:worker_threads';
import { FromWorker, StreamJob, StreamJobFactory, ToWorker, transferListOf } from './stream-job';

/**
 * Entry point of a StreamJobPool worker thread: runs the jobs the main thread opens here, one message at a
 * time and in order, so each job's output leaves in the order its input came.
 */
const jobs = new Map<number, StreamJob>();
const port = parentPort;

function post(message: FromWorker, bytes?: Uint8Array): void {
  port!.postMessage(message, transferListOf(bytes));
}

function handle(message: ToWorker): void {
  if (message.type === 'open') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const factory = (require(message.module) as { createStreamJob: StreamJobFactory }).createStreamJob;
    jobs.set(message.job, factory(message.params as never));
    return;
  }
  const job = jobs.get(message.job);
  if (!job) return;
  if (message.type === 'data') {
    const input = Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength);
    const output = job.update(input);
    post({ type: 'data', job: message.job, chunk: output }, output);
  } else if (message.type === 'end') {
    jobs.delete(message.job);
    const { output, result } = job.final();
    post({ type: 'end', job: message.job, output, result }, output);
  } else {
    jobs.delete(message.job);
    job.dispose?.();
  }
}

port?.on('message', (message: ToWorker) => {
  try {
    handle(message);
  } catch (err) {
    jobs.get(message.job)?.dispose?.();
    jobs.delete(message.job);
    post({ type: 'error', job: message.job, message: err instanceof Error ? err.message : String(err) });
  }
});
