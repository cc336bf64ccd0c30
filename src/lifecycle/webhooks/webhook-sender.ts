import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPrivateAddress } from './webhook-target';

/** What came of one attempt: the receiver's status, or 0 with the reason when none came back. */
export interface SendResult {
  status: number;
  error?: string;
}

/** Longest an attempt may take before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * POSTs one signed message. Redirects are not followed (a 3xx is a failed attempt), the response body is
 * discarded, and private targets are refused unless allowed — for names at connection time, for literal
 * addresses here (Node connects to those without a lookup).
 */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<SendResult> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !allowPrivate && isPrivateAddress(host)) {
    return Promise.resolve({ status: 0, error: 'target is a private or loopback address (set RWS_WEBHOOK_ALLOW_PRIVATE=true to allow)' });
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'RWS-Webhooks/1' },
        lookup: guardedLookup(allowPrivate) as never,
        timeout: ATTEMPT_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (err) => resolve({ status: res.statusCode ?? 0, error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ status: 0, error: err.message }));
    req.end(body);
  });
}
