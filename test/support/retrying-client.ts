import request from 'supertest';

/**
 * The retry a Recording Processor-like client is documented to do (docs/cluster.md, "Clients"): on a refused or
 * dropped connection, 502, 503 or 504, try again up to `attempts` times, waiting the answer's Retry-After (or
 * `pauseMs`). The insert is idempotent, so a retried POST never duplicates anything.
 */
export const CLIENT_RETRY = { attempts: 6, pauseMs: 250 };

/** What one operation saw: its final answer, and each answer it retried (`cut` = not an RWS 503 with Retry-After). */
export interface RetriedOutcome {
  status: number;
  body: unknown;
  retries: { status: number; cut: boolean }[];
}

const RETRIED_STATUSES = new Set([502, 503, 504]);

export async function postWithRetry(baseUrl: string, path: string, authorization: string, body: object): Promise<RetriedOutcome> {
  const retries: RetriedOutcome['retries'] = [];
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let answer: request.Response | undefined;
    try {
      answer = await request(baseUrl).post(path).set('Authorization', authorization).send(body);
      status = answer.status;
    } catch {
      status = 0; // connection refused or dropped
    }
    if (status !== 0 && !RETRIED_STATUSES.has(status)) return { status, body: answer?.body, retries };
    const retryAfter = Number(answer?.headers['retry-after']);
    // An RWS dependency outage says when to come back; anything else means a node or the balancer dropped it.
    retries.push({ status, cut: !(status === 503 && retryAfter > 0) });
    if (attempt >= CLIENT_RETRY.attempts) return { status, body: answer?.body, retries };
    await new Promise((r) => setTimeout(r, retryAfter > 0 ? retryAfter * 1000 : CLIENT_RETRY.pauseMs));
  }
}
