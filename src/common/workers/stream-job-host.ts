import { parentPort } from 'node:worker_threads';
import { FromWorker, StreamJob, StreamJobFactory, ToWorker, transferListOf } from './stream-job';

/**
 * Entry point of a StreamJobPool worker thread: runs the jobs the main thread opens here, one message at a
 * time and in order, so each job's output leaves in the order its input came.
 */
const jobs = new Map<number, StreamJob>();
const port = parentPort;
/** Set while a job module's factory is still starting (async): later messages wait for it, in order. */
let queue: Promise<void> | undefined;

function post(message: FromWorker, bytes?: Uint8Array): void {
  port!.postMessage(message, transferListOf(bytes));
}

function handle(message: ToWorker): Promise<void> | undefined {
  if (message.type === 'open') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const factory = (require(message.module) as { createStreamJob: StreamJobFactory }).createStreamJob;
    const job = factory(message.params as never);
    if (job instanceof Promise) return job.then((ready) => void jobs.set(message.job, ready), (err: unknown) => fail(message.job, err));
    jobs.set(message.job, job);
    return undefined;
  }
  const job = jobs.get(message.job);
  if (!job) return undefined;
  if (message.type === 'data') {
    const outputs = message.chunks.map((chunk) => job.update(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    const output = outputs.length === 1 ? outputs[0] : Buffer.concat(outputs);
    post({ type: 'data', job: message.job, chunk: output }, output);
  } else if (message.type === 'end') {
    jobs.delete(message.job);
    const { output, result } = job.final();
    post({ type: 'end', job: message.job, output, result }, output);
  } else {
    jobs.delete(message.job);
    job.dispose?.();
  }
  return undefined;
}

function run(message: ToWorker): Promise<void> | undefined {
  try {
    return handle(message);
  } catch (err) {
    jobs.get(message.job)?.dispose?.();
    jobs.delete(message.job);
    fail(message.job, err);
    return undefined;
  }
}

function fail(job: number, err: unknown): void {
  post({ type: 'error', job, message: err instanceof Error ? err.message : String(err) });
}

function track(work: Promise<void>): void {
  const tracked: Promise<void> = work.finally(() => {
    if (queue === tracked) queue = undefined;
  });
  queue = tracked;
}

port?.on('message', (message: ToWorker) => {
  if (queue) return track(queue.then(() => run(message)));
  const started = run(message);
  if (started) track(started);
});
