import type { RecorderConnection } from './recorder-connection';

/**
 * Which connection is each agent's recorder (O(1) by agent key), plus every open connection in heartbeat
 * slices. One recorder per agent: binding a newer connection returns the one it replaces.
 */
export class RecorderRegistry {
  private readonly byAgent = new Map<string, RecorderConnection>();
  private readonly slices: Set<RecorderConnection>[];
  private nextSlice = 0;
  private openCount = 0;

  constructor(sliceCount: number) {
    this.slices = Array.from({ length: sliceCount }, () => new Set());
  }

  /** A freshly upgraded connection (not yet the agent's recorder). */
  add(connection: RecorderConnection): void {
    connection.heartbeatSlot = this.nextSlice;
    this.nextSlice = (this.nextSlice + 1) % this.slices.length;
    this.slices[connection.heartbeatSlot].add(connection);
    this.openCount++;
  }

  /** Makes the connection its agent's recorder; returns the older connection it replaces, if any. */
  bind(connection: RecorderConnection): RecorderConnection | undefined {
    const previous = this.byAgent.get(connection.agentKey);
    this.byAgent.set(connection.agentKey, connection);
    return previous === connection ? undefined : previous;
  }

  /** Forgets a connection; returns true when it was its agent's recorder. */
  remove(connection: RecorderConnection): boolean {
    if (this.slices[connection.heartbeatSlot].delete(connection)) this.openCount--;
    if (this.byAgent.get(connection.agentKey) !== connection) return false;
    this.byAgent.delete(connection.agentKey);
    return true;
  }

  /** The agent's recorder, if connected and greeted. */
  recorderOf(agentKey: string): RecorderConnection | undefined {
    return this.byAgent.get(agentKey);
  }

  /** Connections of one heartbeat slice. */
  slice(index: number): Set<RecorderConnection> {
    return this.slices[index];
  }

  get sliceCount(): number {
    return this.slices.length;
  }

  /** Every agent's recorder. */
  recorders(): IterableIterator<RecorderConnection> {
    return this.byAgent.values();
  }

  /** Agents with a recorder. */
  get recorderCount(): number {
    return this.byAgent.size;
  }

  /** Open connections, greeted or not. */
  get connectionCount(): number {
    return this.openCount;
  }
}
