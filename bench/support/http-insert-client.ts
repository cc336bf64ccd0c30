/**
 * Load client of the P5 bench, in its own process (bench/lib/child-job.ts): posts each JSON body once, with
 * `concurrency` requests in flight over keep-alive connections (node:http: undici's fetch costs several
 * times more CPU per request), and answers with the elapsed time and any failures.
 */
import { Agent, request } from 'node:http';
import { serveChildJob } from '../lib/child-job';

export interface InsertJob {
  url: string;
  authorization: string;
  bodies: string[];
  concurrency: number;
}

export interface InsertOutcome {
  elapsedMs: number;
  failures: number;
  firstFailure?: string;
  error?: string;
}

function post(agent: Agent, target: URL, authorization: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

serveChildJob<InsertJob, InsertOutcome>(async ({ url, authorization, bodies, concurrency }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        // A dropped connection is a failed insert to report, not the end of the run.
        const response = await post(agent, target, authorization, bodies[next++]).catch((err: Error) => ({ status: 0, text: err.message }));
        if (response.status !== 200) {
          failures++;
          firstFailure ??= `${response.status} ${response.text}`;
        }
      }
    }),
  );
  agent.destroy();
  return { elapsedMs: performance.now() - started, failures, firstFailure };
});
