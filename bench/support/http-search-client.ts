/**
 * Search client of the P5/P6 benches, in its own process (bench/lib/child-job.ts): GETs each URL in turn,
 * one at a time, over one keep-alive connection (node:http), and answers with each request's time until
 * its whole body arrived, its status and how many recordings the page held (counted after the clock stopped).
 */
import { Agent, request } from 'node:http';
import { serveChildJob } from '../lib/child-job';

export interface SearchJob {
  urls: string[];
  authorization: string;
}

export interface SearchTiming {
  ms: number;
  status: number;
  rows: number;
  error?: unknown;
}

function get(agent: Agent, target: URL, authorization: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'GET', agent, headers: { authorization } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

serveChildJob<SearchJob, { results: SearchTiming[] }>(async ({ urls, authorization }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const results: SearchTiming[] = [];
  for (const url of urls) {
    const started = performance.now();
    const response = await get(agent, new URL(url), authorization);
    const ms = performance.now() - started;
    const body = JSON.parse(response.body.toString()) as { recordings?: unknown[] };
    results.push({ ms, status: response.status, rows: Array.isArray(body.recordings) ? body.recordings.length : 0, error: response.status === 200 ? undefined : body });
  }
  agent.destroy();
  return { results };
});
