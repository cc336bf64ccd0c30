import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AppModule, AppPorts } from './app.module';
import type { AppConfig } from './config/app-config';
import { PUBLIC_URL_SETTING } from './common/http/base-url';
import { rejectDeepJson } from './common/http/json-depth';
import { refuseDotSegments, refuseOversizedJson, requireUtf8 } from './common/http/request-screening';
import { TrustedProxies } from './common/http/trusted-proxies';
import { JsonLogger } from './common/logging/json-logger';
import { applyGcPolicy } from './common/runtime/gc-policy';
import { envelopeValidationPipe } from './common/validation/envelope-validation.pipe';
import { closeGracefullyOnSignals } from './health/graceful-shutdown';
import { buildOpenApiDocument, serveOpenApi } from './openapi';
import { DesktopForwarding } from './cluster/agent-home/desktop-forwarding';
import { serveConsole } from './console/console-assets';

/** Largest JSON body accepted; recording documents are far smaller (a bigger one is refused with 413). */
export const JSON_BODY_LIMIT = '5mb';
const JSON_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
/**
 * How long an idle keep-alive connection stays open. Longer than a load balancer keeps its idle connections to
 * a node (HAProxy: up to its 60 s server timeout; nginx, cloud balancers: 60 s): with Node's 5 s default the node
 * could close a connection just as the balancer sends the next request on it, and the client's request is lost
 * ("socket hang up", seen in the cluster P5 benchmark).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Creates the configured application (not yet listening). Shared by main.ts and the e2e tests. */
export async function createApp(config: AppConfig, options: { logger?: JsonLogger | false; ports?: AppPorts } = {}): Promise<INestApplication> {
  applyGcPolicy();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, options.ports), {
    logger: options.logger ?? new JsonLogger(config.logLevel),
    bodyParser: false,
  });
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node's advice: longer than keepAliveTimeout, so a slow header on a reused connection is not cut first.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  // Before the body parser: refusals that must not wait for (or read) the body.
  app.use(refuseDotSegments);
  app.use(refuseOversizedJson(JSON_BODY_LIMIT_BYTES));
  // On a cluster, an agent's desktop requests go to its home node as they came (body unread).
  app.use(app.get(DesktopForwarding).middleware);
  // On the raw bytes, before JSON.parse: valid UTF-8, and no nesting deeper than MAX_JSON_DEPTH.
  app.useBodyParser('json', {
    limit: JSON_BODY_LIMIT,
    verify: (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      requireUtf8(req, res, body);
      rejectDeepJson(req, res, body);
    },
  });
  if (config.publicUrl) app.set(PUBLIC_URL_SETTING, config.publicUrl);
  app.useGlobalPipes(envelopeValidationPipe());
  app.disable('x-powered-by');
  // No automatic ETag on JSON answers: hashing every response body costs a little on every request (the
  // insert path above all) and API answers are not conditionally cached; media responses set their own.
  app.disable('etag');
  // X-Forwarded-* are believed only from the hops RWS_TRUSTED_PROXIES names (the WebSocket upgrades ask the same).
  const proxies = app.get(TrustedProxies);
  app.set('trust proxy', (address: string) => proxies.trusts(address));
  // A signal drains the node first (the load balancer takes it out), then closes it (src/health/graceful-shutdown.ts).
  closeGracefullyOnSignals(app, config.shutdownDrainSeconds);
  serveOpenApi(app, buildOpenApiDocument(app));
  serveConsole(app);
  return app;
}
