import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ERROR_RENDERING, ErrorCode } from '../../common/errors/error-code';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import { Authenticator } from '../../identity/authentication/authenticator';
import { AgentHomes } from '../../places/agent-homes';
import { agentKeyOf } from '../../recorders/recording-signals';
import { ClusterRedis } from '../cluster-redis';
import { AgentTakeover } from './agent-takeover';
import { relayHttp } from './http-relay';
import { RedisAgentHomes } from './redis-agent-homes';

/** Set on a request one node relays to another: the receiver serves it or refuses, never relays it again. */
export const FORWARDED_BY_HEADER = 'x-rws-forwarded-by';
const RETRY_AFTER_SECONDS = 1;

/** The desktop endpoints that act on the agent's session (api.md §4): served by the agent's home node. */
const SESSION_ENDPOINTS: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/v2\/me\/?$/ },
  { method: 'GET', path: /^\/api\/v2\/me\/calls\/?$/ },
  { method: 'POST', path: /^\/api\/v2\/me\/calls\/[^/]+\/?$/ },
  { method: 'POST', path: /^\/api\/v2\/notifications(?:\/[a-z]+)?\/?$/ },
];

/**
 * Express middleware, before the body is read: a desktop request of an agent homed on another live node is
 * relayed there unchanged (the other node authenticates it again, CSRF included), with FORWARDED_BY_HEADER
 * against loops. The home is the authenticated caller's own — a client cannot name another agent's. When the
 * home is dead this node takes the agent over first; when Redis cannot say and the agent is not homed here,
 * or the home cannot be reached, 503 + Retry-After. Without RWS_CLUSTER_REDIS_URL this does nothing.
 */
@Injectable()
export class DesktopForwarding {
  private readonly logger = new Logger('DesktopForwarding');

  constructor(
    private readonly redis: ClusterRedis,
    private readonly authenticator: Authenticator,
    private readonly homes: AgentHomes,
    private readonly takeover: AgentTakeover,
  ) {}

  readonly middleware = (req: Request, res: Response, next: (err?: unknown) => void): void => {
    if (!this.redis.enabled || !isSessionEndpoint(req)) return next();
    this.route(req, res, next).catch((err: unknown) => {
      if (err instanceof DependencyUnavailableException) return refuse(res, err.message);
      this.logger.warn({ msg: 'desktop forwarding failed', error: (err as Error).message });
      refuse(res, 'Service temporarily unavailable: the agent session could not be located, retry later.');
    });
  };

  private async route(req: Request, res: Response, next: () => void): Promise<void> {
    let agentKey: string;
    try {
      const { principal } = await this.authenticator.authenticate(req);
      if (principal.kind !== 'user' || !principal.ccid) return next();
      agentKey = agentKeyOf(principal);
    } catch {
      return next(); // the guard answers with the same outcome (401, 503 …)
    }
    const homes = this.homes as RedisAgentHomes;
    let route;
    try {
      route = await homes.resolve(agentKey);
    } catch (err) {
      // Redis away: the agents homed here are still served here; nobody can say where the others are.
      if (err instanceof DependencyUnavailableException && homes.isHomedHere(agentKey)) return next();
      throw err;
    }
    if (route.kind === 'here') {
      if (route.takenFrom) await this.takeover.restore(agentKey, route.takenFrom);
      return next();
    }
    if (req.headers[FORWARDED_BY_HEADER] !== undefined) {
      return refuse(res, "Service temporarily unavailable: the agent's session moved to another node, retry.");
    }
    relayHttp(req, res, route.url, { [FORWARDED_BY_HEADER]: this.redis.nodeId }, (err) => {
      this.logger.warn({ msg: 'home node unreachable', home: route.nodeId, error: err.message });
      refuse(res, "Service temporarily unavailable: the agent's node cannot be reached, retry.");
    });
  }
}

function isSessionEndpoint(req: Request): boolean {
  const path = (req.url ?? '/').split('?')[0];
  return SESSION_ENDPOINTS.some((e) => e.method === req.method && e.path.test(path));
}

function refuse(res: Response, message: string): void {
  if (res.headersSent) return void res.destroy();
  const rendering = ERROR_RENDERING[ErrorCode.DependencyUnavailable];
  const body = JSON.stringify({ statusCode: rendering.statusCode, statusMessage: message });
  res.writeHead(rendering.httpStatus, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Retry-After': String(RETRY_AFTER_SECONDS) });
  res.end(body);
}
