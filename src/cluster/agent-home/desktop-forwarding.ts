import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_RENDERING, ErrorCode } from '../../common/errors/error-code';
import { DependencyUnavailableException, RwsException } from '../../common/errors/rws.exception';
import { refuseUpgradeWith } from '../../common/websocket/upgrade-router';
import { NotificationsRouting } from '../../desktop/notifications-routing';
import { Authenticator } from '../../identity/authentication/authenticator';
import { AgentHomes } from '../../places/agent-homes';
import { agentKeyOf } from '../../recorders/recording-signals';
import { ClusterRedis } from '../cluster-redis';
import { AgentTakeover } from './agent-takeover';
import { relayHttp } from './http-relay';
import { RedisAgentHomes } from './redis-agent-homes';
import { relayUpgrade } from './upgrade-relay';

/** Set on a request one node relays to another: the receiver serves it or refuses, never relays it again. */
export const FORWARDED_BY_HEADER = 'x-rws-forwarded-by';

/** The desktop endpoints that act on the agent's session (api.md §4): served by the agent's home node. */
const SESSION_ENDPOINTS: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/v2\/me\/?$/ },
  { method: 'GET', path: /^\/api\/v2\/me\/calls\/?$/ },
  { method: 'POST', path: /^\/api\/v2\/me\/calls\/[^/]+\/?$/ },
  { method: 'POST', path: /^\/api\/v2\/notifications(?:\/[a-z]+)?\/?$/ },
];
/** A supervisor's recording control of an agent's call: served where that agent is homed. */
const AGENT_CALL_ENDPOINT = /^\/api\/v2\/users\/([^/]+)\/calls\/[^/]+\/?$/;

/** The agent's home is elsewhere and cannot serve this request now. */
class HomeUnavailableException extends RwsException {
  constructor(why: string) {
    super(ErrorCode.DependencyUnavailable, `Service temporarily unavailable: the agent's session ${why}, retry.`, { retryAfterSeconds: 1 });
  }
}

/**
 * Sends an agent's desktop traffic to its home node: HTTP requests as an Express middleware that runs before
 * the body is read (relayed unchanged, streamed both ways; the other node authenticates them again, CSRF
 * included), and the notification WebSocket (NotificationsRouting). FORWARDED_BY_HEADER marks a relayed
 * request: its receiver serves it or refuses it, never relays it again. The home is the authenticated caller's
 * own — no client input names an agent. A dead home is taken over here first; when Redis cannot say and the
 * agent is not homed here, or the home cannot be reached: 503 + Retry-After. Without RWS_CLUSTER_REDIS_URL:
 * nothing.
 */
@Injectable()
export class DesktopForwarding extends NotificationsRouting {
  private readonly logger = new Logger('DesktopForwarding');

  constructor(
    private readonly redis: ClusterRedis,
    private readonly authenticator: Authenticator,
    private readonly homes: AgentHomes,
    private readonly takeover: AgentTakeover,
  ) {
    super();
  }

  readonly middleware = (req: Request, res: Response, next: () => void): void => {
    if (!this.redis.enabled) return next();
    const path = (req.url ?? '/').split('?')[0];
    const agentCall = req.method === 'POST' ? AGENT_CALL_ENDPOINT.exec(path) : null;
    if (!agentCall && !SESSION_ENDPOINTS.some((e) => e.method === req.method && e.path.test(path))) return next();
    this.forward(req, res, next, agentCall?.[1]).catch((err: unknown) => refuse(res, err));
  };

  async handedOver(request: IncomingMessage, socket: Duplex, head: Buffer, agentKey: string): Promise<boolean> {
    if (!this.redis.enabled) return false;
    const home = await this.homeOf(agentKey, request);
    if (!home) return false;
    relayUpgrade(request, socket, head, home.url, { [FORWARDED_BY_HEADER]: this.redis.nodeId }, (err) => {
      this.logger.warn({ msg: 'home node unreachable', home: home.nodeId, error: err.message });
      refuseUpgradeWith(socket, new HomeUnavailableException('is on a node that cannot be reached'));
    });
    return true;
  }

  /** `ofAgent`: the (encoded) user name of the agent a supervisor acts on; the caller's own session otherwise. */
  private async forward(req: Request, res: Response, next: () => void, ofAgent?: string): Promise<void> {
    let agentKey: string;
    try {
      const { principal } = await this.authenticator.authenticate(req);
      if (principal.kind !== 'user' || !principal.ccid) return next();
      agentKey = ofAgent === undefined ? agentKeyOf(principal) : agentKeyOf({ ccid: principal.ccid, userName: decodeURIComponent(ofAgent) });
    } catch {
      return next(); // the guard answers with the same outcome (401, 503, a bad path …)
    }
    // A supervisor's request never makes this node the agent's home; the home (or this node) checks its rights.
    const home = ofAgent === undefined ? await this.homeOf(agentKey, req) : await this.elsewhere(agentKey, req);
    if (!home) return next();
    relayHttp(req, res, home.url, { [FORWARDED_BY_HEADER]: this.redis.nodeId }, (err) => {
      this.logger.warn({ msg: 'home node unreachable', home: home.nodeId, error: err.message });
      refuse(res, new HomeUnavailableException('is on a node that cannot be reached'));
    });
  }

  /** Where another caller's request about `agentKey` goes: its live home elsewhere, or undefined (served here). */
  private async elsewhere(agentKey: string, request: IncomingMessage): Promise<{ nodeId: string; url: string } | undefined> {
    const route = await (this.homes as RedisAgentHomes).locate(agentKey);
    if (route.kind === 'here') return undefined;
    if (request.headers[FORWARDED_BY_HEADER] !== undefined) throw new HomeUnavailableException('moved to another node');
    return route;
  }

  /** The agent's home when it is another live node; undefined when this node serves the agent (taking it over first when its home died). */
  private async homeOf(agentKey: string, request: IncomingMessage): Promise<{ nodeId: string; url: string } | undefined> {
    const homes = this.homes as RedisAgentHomes;
    let route;
    try {
      route = await homes.resolve(agentKey);
    } catch (err) {
      // Redis away: the agents homed here are still served here; nobody can say where the others are.
      if (err instanceof DependencyUnavailableException && homes.isHomedHere(agentKey)) return undefined;
      throw err;
    }
    if (route.kind === 'here') {
      // Just became the home: a session the agent had on a dead node is held here before the request is served.
      if (route.claimed) await this.takeover.restore(agentKey, route.takenFrom);
      return undefined;
    }
    if (request.headers[FORWARDED_BY_HEADER] !== undefined) throw new HomeUnavailableException('moved to another node');
    return route;
  }
}

/** The API's envelope, with Retry-After; never a driver's message. */
function refuse(res: Response, err: unknown): void {
  if (res.headersSent) return void res.destroy();
  const known = err instanceof RwsException ? err : new HomeUnavailableException('could not be located');
  const rendering = ERROR_RENDERING[known.code];
  const body = JSON.stringify({ statusCode: rendering.statusCode, statusMessage: known.message });
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) };
  if (known.options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(known.options.retryAfterSeconds);
  res.writeHead(rendering.httpStatus, headers);
  res.end(body);
}
