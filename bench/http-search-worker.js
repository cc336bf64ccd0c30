/* global require, performance, URL, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- a worker thread script in plain CommonJS */
// Search client for the benchmarks, on its own thread so that its work (HTTP client, reading a 100-row page)
// does not run on the event loop of the RWS under test: GETs each URL in turn, one at a time, over one
// keep-alive connection (node:http), and reports each request's time until its whole body arrived, its
// status and how many recordings the page held (counted after the clock stopped).
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

function get(agent, target, authorization) {
  return new Promise((resolve, reject) => {
    const request = http.request(target, { method: 'GET', agent, headers: { authorization } }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

async function main() {
  const { urls, authorization } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const results = [];
  for (const url of urls) {
    const started = performance.now();
    const response = await get(agent, new URL(url), authorization);
    const ms = performance.now() - started;
    const body = JSON.parse(response.body.toString());
    results.push({ ms, status: response.status, rows: Array.isArray(body.recordings) ? body.recordings.length : 0, error: response.status === 200 ? undefined : body });
  }
  agent.destroy();
  parentPort.postMessage({ results });
}

main().catch((err) => parentPort.postMessage({ error: String(err) }));
