/** Something changed that other nodes hold a copy of. Payloads are small JSON objects. */
export interface ClusterEventTopics {
  /** A login session was revoked (the store of record already has it). */
  'session-revoked': { sessionId: string; expiresAt: number };
  /** A contact center's row (features, name) changed. */
  'contact-center-changed': { ccid: string };
  /** A contact center's settings group (e.g. `recordings`, the voice storage) changed. */
  'contact-center-settings-changed': { ccid: string; group: string };
  /** A contact center's certificates changed (upload, activate, retire, delete). */
  'certificates-changed': { ccid: string };
  /** A user account changed (role, password, settings, deletion). */
  'account-changed': { userName: string };
  /** A token signing key was created (rotation) or retired: every node re-reads the key table. */
  'signing-keys-changed': { kid: string };
}

export type ClusterTopic = keyof ClusterEventTopics;
export type ClusterHandler<T extends ClusterTopic> = (payload: ClusterEventTopics[T]) => void;

/**
 * Port: tells every node (this one included) that something changed, so each drops or updates its copy at once.
 * Delivery is best effort: a node that missed events (its link to the others was down) is told to `resync`,
 * and copies also keep their own short expiry. Never the only record of anything: the store of record is
 * written before an event is published.
 */
export abstract class ClusterEvents {
  private readonly handlers = new Map<ClusterTopic, Set<(payload: never) => void>>();
  private readonly resyncs = new Set<() => void>();

  /** Applies the change on this node now, and on the others as soon as they hear it. */
  publish<T extends ClusterTopic>(topic: T, payload: ClusterEventTopics[T]): void {
    this.deliver(topic, payload);
    this.broadcast(topic, payload);
  }

  subscribe<T extends ClusterTopic>(topic: T, handler: ClusterHandler<T>): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler as (payload: never) => void);
    return () => set.delete(handler as (payload: never) => void);
  }

  /** Called when this node may have missed events: drop what can be stale, re-read what is polled. */
  onResync(handler: () => void): () => void {
    this.resyncs.add(handler);
    return () => this.resyncs.delete(handler);
  }

  protected abstract broadcast<T extends ClusterTopic>(topic: T, payload: ClusterEventTopics[T]): void;

  protected deliver(topic: ClusterTopic, payload: unknown): void {
    for (const handler of this.handlers.get(topic) ?? []) (handler as (p: unknown) => void)(payload);
  }

  protected resync(): void {
    for (const handler of this.resyncs) handler();
  }
}

/** One node alone: there is nobody else to tell. */
export class LocalClusterEvents extends ClusterEvents {
  protected broadcast(): void {}
}
