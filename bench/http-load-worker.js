/* global require, performance, URL, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- a worker thread script in plain CommonJS */
// Load generator for the benchmarks, on its own thread so that the client's work does not compete with the
// server's event loop: posts each JSON body once with `concurrency` requests in flight over keep-alive
// connections (node:http; undici's fetch costs several times more CPU per request) and reports the time.
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

function post(agent, target, authorization, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target,
      { method: 'POST', agent, headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function main() {
  const { url, authorization, bodies, concurrency } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let next = 0;
  let failures = 0;
  let firstFailure;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const response = await post(agent, target, authorization, bodies[next++]);
        if (response.status !== 200) {
          failures++;
          firstFailure ??= `${response.status} ${response.text}`;
        }
      }
    }),
  );
  agent.destroy();
  parentPort.postMessage({ elapsedMs: performance.now() - started, failures, firstFailure });
}

main().catch((err) => parentPort.postMessage({ error: String(err) }));
