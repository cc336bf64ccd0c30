import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Port: where an agent's notification WebSocket is served. On a cluster the agent's events enter at its home
 * node, so an upgrade that reached another node is handed there; a node alone serves every upgrade itself
 * (the binding answers false).
 */
export abstract class NotificationsRouting {
  /**
   * Called once the upgrade is authenticated as `agentKey`: true when the socket was handed to another node
   * (nothing more to do here). Throws (e.g. 503 + Retry-After) when the agent's home cannot be known or reached.
   */
  abstract handedOver(request: IncomingMessage, socket: Duplex, head: Buffer, agentKey: string): Promise<boolean>;
}
