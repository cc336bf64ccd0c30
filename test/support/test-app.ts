import { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/config/app-config';
import type { AppPorts } from '../../src/app.module';
import { createApp } from '../../src/bootstrap';
import { sipServersFor } from '../../tools/sipserver-sim/embedded-simulator';

/** A running RWS on a free loopback port, for e2e suites. */
export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `Authorization` header value of the ops account. */
  opsAuth: string;
  close(): Promise<void>;
}

/**
 * Starts RWS wired as server/main.ts wires it (the configured SIP Servers, or the in-process simulator);
 * `ports` swaps port implementations (e.g. a test authenticator for recorder agents).
 */
export async function startTestApp(config: AppConfig, ports?: AppPorts): Promise<TestApp> {
  const app = await createApp(config, { logger: process.env.RWS_TEST_LOGS ? undefined : false, ports: { sipServers: sipServersFor(config), ...ports } });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    url: `http://127.0.0.1:${address.port}`,
    opsAuth: basicAuth(config.ops.username ?? 'ops', config.ops.password ?? ''),
    close: () => app.close(),
  };
}

export function basicAuth(userName: string, password: string): string {
  return `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}`;
}

/** Polls `probe` until it stops throwing (or returns true), for conditions that settle asynchronously. */
export async function expectEventually(probe: () => unknown | Promise<unknown>, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await probe();
      if (result !== false) return;
      lastError = new Error('probe returned false');
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw lastError;
}
