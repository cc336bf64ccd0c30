import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import type { SessionAgent, SessionDevice } from '../telephony/telephony.service';

/** What another node needs to hold an agent's session again after its home died (docs/cluster.md). */
export interface AgentSessionRecord {
  agent: SessionAgent;
  place?: string;
  /** The resolved devices (already checked against the contact center's places and DNs). */
  devices: SessionDevice[];
  startedAt: number;
}

/**
 * Port: where an agent's contact center session may live. On a cluster one node is the agent's **home**: only
 * it registers the session's DNs, so telephony events for them enter there and a second node never derives a
 * second screen recording. The node alone (no RWS_CLUSTER_REDIS_URL) is every agent's home and keeps nothing.
 */
export abstract class AgentHomes {
  /**
   * Makes this node the agent's home, or confirms it; false when another live node is its home (the caller
   * must not start a session here). Throws 503 + Retry-After when that cannot be known now.
   */
  abstract claimHere(agentKey: string): Promise<boolean>;
  /** The session started or changed here: kept where another node finds it when this one dies. */
  abstract sessionSaved(agentKey: string, record: AgentSessionRecord): Promise<void>;
  /** The session ended here. */
  abstract sessionEnded(agentKey: string): Promise<void>;
}

/** One node alone: it is every agent's home and nobody else needs its sessions. */
export class LocalAgentHomes extends AgentHomes {
  async claimHere(): Promise<boolean> {
    return true;
  }

  async sessionSaved(): Promise<void> {}

  async sessionEnded(): Promise<void> {}
}

/** A desktop's session request reached a node that is not the agent's home (the home moved meanwhile). */
export class AgentHomedElsewhereException extends RwsException {
  constructor() {
    super(ErrorCode.DependencyUnavailable, "Service temporarily unavailable: the agent's session is held by another node, retry.", { retryAfterSeconds: 1 });
  }
}
