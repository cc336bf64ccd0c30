/**
 * What authentication costs every request: µs per Basic check (cached and uncached), per Bearer JWT check
 * (first sight and repeated), per session-cookie check, next to their primitives (scrypt, Ed25519 verify,
 * HMAC) and to a whole HTTP request, all measured side by side in one run on the embedded backend.
 *
 *   node -r ./bench/ts-register.cjs bench/auth-cost.ts          (figures on stdout, JSON in bench/results/)
 *   BENCH_QUICK=1 node -r ./bench/ts-register.cjs bench/auth-cost.ts   (smoke run)
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { createHmac, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { sipServersFor } from '../tools/sipserver-sim/embedded-simulator';
import { loadConfig } from '../src/config/app-config';
import { Authenticator } from '../src/identity/authentication/authenticator';
import { PasswordHasher } from '../src/identity/passwords/password-hasher';
import type { Principal } from '../src/identity/principal';
import { TokenService } from '../src/identity/tokens/token.service';
import { UsersService } from '../src/identity/users/users.service';
import { resultsDir } from './lib/report';
import { ContactCentersService } from '../src/contact-centers/contact-centers.service';

const QUICK = process.env.BENCH_QUICK === '1';
const OPS: Principal = { kind: 'ops', userName: 'ops', roles: ['admin'], permissions: [], accessGroups: ['/'] };

interface Figure {
  name: string;
  iterations: number;
  microsPerOp: number;
}

/** Median µs per operation over `rounds` rounds of `iterations` sequential awaits. */
async function measure(name: string, iterations: number, op: (i: number) => unknown, rounds = QUICK ? 1 : 5): Promise<Figure> {
  for (let i = 0; i < Math.min(iterations, 50); i++) await op(i); // warm-up
  const perRound: number[] = [];
  let offset = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await op(offset + i);
    perRound.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
    offset += iterations;
  }
  perRound.sort((a, b) => a - b);
  const figure = { name, iterations: iterations * rounds, microsPerOp: Math.round(perRound[Math.floor(rounds / 2)] * 10) / 10 };
  process.stdout.write(`${name.padEnd(58)} ${String(figure.microsPerOp).padStart(10)} µs/op\n`);
  return figure;
}

async function startNode(env: Record<string, string>): Promise<{ app: INestApplication; port: number }> {
  const config = loadConfig({
    PORT: '0',
    RWS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rws-bench-')),
    RWS_METADATA: 'embedded',
    RWS_OPS_USERNAME: 'ops',
    RWS_OPS_PASSWORD: 'ops-bench-password',
    RWS_LOG_LEVEL: 'error',
    RWS_LOGIN_MAX_FAILURES_PER_SOURCE: '100000',
    ...env,
  });
  const app = await createApp(config, { logger: false, ports: { sipServers: sipServersFor(config) } });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as { port: number }).port };
}

function get(agent: http.Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const cost = Number(process.env.RWS_PASSWORD_HASH_COST ?? 15);
  process.stdout.write(`auth cost bench — node ${process.version}, scrypt ln=${cost}, ${QUICK ? 'quick' : 'full'} run\n\n`);

  // Primitives.
  const hasher = new PasswordHasher(cost);
  const hash = await hasher.hash('bench-password');
  figures.push(await measure(`scrypt verify (N=2^${cost}, r=8, p=1)`, QUICK ? 3 : 10, () => hasher.verify('bench-password', hash), QUICK ? 1 : 3));
  const ed = generateKeyPairSync('ed25519');
  const message = Buffer.from('x'.repeat(400));
  const signature = sign(null, message, ed.privateKey);
  figures.push(await measure('Ed25519 verify (node:crypto)', QUICK ? 500 : 5000, () => verify(null, message, ed.publicKey, signature)));
  const hmacKey = randomBytes(32);
  figures.push(await measure('HMAC-SHA256 (credential cache key)', QUICK ? 1000 : 20000, () => createHmac('sha256', hmacKey).update('alice:password').digest()));

  // Through the real Authenticator (embedded store, user cache warm).
  const cached = await startNode({});
  const uncached = await startNode({ RWS_CREDENTIAL_CACHE_SECONDS: '0' });
  const basicFor = async (node: { app: INestApplication }) => {
    const contactCenters = node.app.get(ContactCentersService);
    const cc = await contactCenters.create('bench');
    await node.app.get(UsersService).create(OPS, cc.id, { userName: 'bench-agent', password: 'bench-password', roles: ['agent'], agentId: 'a1' }, '127.0.0.1');
    return `Basic ${Buffer.from('bench-agent:bench-password').toString('base64')}`;
  };
  const basic = await basicFor(cached);
  const basicUncached = await basicFor(uncached);
  const auth = cached.app.get(Authenticator);
  const authUncached = uncached.app.get(Authenticator);
  const request = (authorization?: string, cookie?: string) => ({ headers: { authorization, cookie }, ip: '127.0.0.1' });

  figures.push(await measure('Basic check, uncached (scrypt each time)', QUICK ? 3 : 10, () => authUncached.authenticate(request(basicUncached)), QUICK ? 1 : 3));
  figures.push(await measure('Basic check, verified-credential cache hit', QUICK ? 1000 : 20000, () => auth.authenticate(request(basic))));

  const tokens = cached.app.get(TokenService);
  const pairs = await Promise.all(Array.from({ length: QUICK ? 200 : 3000 }, () => tokens.login('bench-agent', 'bench-password', '127.0.0.1')));
  figures.push(await measure('Bearer JWT check, first sight (signature verified)', pairs.length / (QUICK ? 1 : 5), (i) => auth.authenticate(request(`Bearer ${pairs[i % pairs.length].access_token}`))));
  const bearer = `Bearer ${pairs[0].access_token}`;
  figures.push(await measure('Bearer JWT check, repeated token (verified-token cache)', QUICK ? 1000 : 20000, () => auth.authenticate(request(bearer))));

  // A session cookie as a browser-style client would send it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cookie = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: cached.port, path: '/api/v2/me', agent, headers: { authorization: basic } }, (res) => {
        res.resume();
        resolve(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0].split(';')[0]);
      })
      .on('error', reject);
  });
  figures.push(await measure('Session cookie check (repeated cookie)', QUICK ? 1000 : 20000, () => auth.authenticate(request(undefined, cookie))));

  // Whole requests on one keep-alive connection: the share authentication takes of a request.
  const n = QUICK ? 200 : 3000;
  figures.push(await measure('HTTP GET /health/live (public, no auth)', n, () => get(agent, cached.port, '/health/live', {})));
  figures.push(await measure('HTTP GET /api/v2/me, Basic (cache hit)', n, () => get(agent, cached.port, '/api/v2/me', { authorization: basic, cookie })));
  figures.push(await measure('HTTP GET /api/v2/me, Bearer (repeated token)', n, () => get(agent, cached.port, '/api/v2/me', { authorization: bearer, cookie })));
  agent.destroy();

  await cached.app.close();
  await uncached.app.close();

  const file = join(resultsDir(), 'auth-cost.json');
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, scryptCost: cost, quick: QUICK, figures }, null, 2));
  process.stdout.write(`\nwritten to ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
