import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPrivateAddress, webhookUrlProblem } from './webhook-target';
import { sendWebhook } from './webhook-sender';
import { webhookSignature } from './webhook-signature';

describe('webhook targets', () => {
  it('classifies private, loopback, link-local and mapped addresses as private, public ones not', () => {
    for (const a of ['127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd12::1', 'fe80::1', '::ffff:10.0.0.1', 'not-an-ip']) {
      expect({ a, private: isPrivateAddress(a) }).toEqual({ a, private: true });
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect({ a, private: isPrivateAddress(a) }).toEqual({ a, private: false });
  });

  it('accepts only http(s) URLs without credentials', () => {
    expect(webhookUrlProblem('https://hooks.example.com/rws')).toBeUndefined();
    expect(webhookUrlProblem('ftp://hooks.example.com/')).toMatch(/http/);
    expect(webhookUrlProblem('https://u:p@hooks.example.com/')).toMatch(/credentials/);
    expect(webhookUrlProblem('/relative')).toMatch(/absolute/);
  });

  it('refuses to connect to a loopback target at send time unless allowed, by literal address and by name', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
        const refused = await sendWebhook(url, {}, '{}', false);
        expect(refused.status).toBe(0);
        expect(refused.error).toMatch(/private or loopback/);
      }
      expect(hits).toBe(0);
      expect((await sendWebhook(`http://127.0.0.1:${port}/`, {}, '{}', true)).status).toBe(204);
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it('signs id.timestamp.body with the decoded secret (Standard Webhooks test vector)', () => {
    // The example of the Standard Webhooks specification.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(webhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
