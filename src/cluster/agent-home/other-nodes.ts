import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ClusterRedis } from '../cluster-redis';
import { FORWARDED_BY_HEADER } from './desktop-forwarding';
import { NodePresence } from './node-presence';

/** How long a node waits for another's answer before listing it as unreachable. */
const ANSWER_TIMEOUT_MS = 2_000;

/** What the other live nodes answered to the same request, and which of them did not. */
export interface OtherNodesAnswers<T> {
  answers: { node: string; body: T }[];
  /** Nodes alive in Redis that did not answer (dying, overloaded, or refusing): their part is missing. */
  unreachable: string[];
}

/**
 * Asks every other live node the request this node is serving, for views that span the cluster (an operator's
 * list of connected recorders). The request goes to each node's own URL with the caller's credentials, so each
 * node authenticates and authorises it again, and with FORWARDED_BY_HEADER, so each answers for itself only.
 * Nodes are named by their URL (what an operator recognises). On a node alone there are no others.
 */
@Injectable()
export class OtherNodes {
  private readonly logger = new Logger('OtherNodes');

  constructor(
    private readonly redis: ClusterRedis,
    private readonly presence: NodePresence,
  ) {}

  /** Whether `req` must be answered for this node alone (it came from another node, or there is no cluster). */
  answersForItself(req: IncomingMessage): boolean {
    return !this.redis.enabled || req.headers[FORWARDED_BY_HEADER] !== undefined;
  }

  /** This node's name in cluster-wide views (its URL), or undefined on a node alone. */
  selfName(): string | undefined {
    return this.redis.enabled ? this.presence.url() : undefined;
  }

  /** GETs `path` from every other live node; 503 (DependencyUnavailableException) when Redis cannot say which are alive. */
  async get<T>(req: IncomingMessage, path: string): Promise<OtherNodesAnswers<T>> {
    const others = await this.presence.others();
    const headers: Record<string, string> = { [FORWARDED_BY_HEADER]: this.redis.nodeId, accept: 'application/json' };
    for (const name of ['authorization', 'cookie'] as const) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const result: OtherNodesAnswers<T> = { answers: [], unreachable: [] };
    await Promise.all(
      others.map(async ({ url }) => {
        try {
          const res = await fetch(new URL(path, url), { headers, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          result.answers.push({ node: url, body: (await res.json()) as T });
        } catch (err) {
          this.logger.warn({ msg: 'node did not answer', node: url, path, error: (err as Error).message });
          result.unreachable.push(url);
        }
      }),
    );
    return result;
  }
}
