import { Injectable } from '@nestjs/common';

type Listener = (ccid: string) => void;

/**
 * Tells whoever keeps a copy of a contact center (its features, its settings groups) that it changed, so the
 * copy is dropped at once instead of when it expires. In-process today; a cluster needs the same signal on
 * every node, which a transport can add here without touching the caches that listen.
 */
@Injectable()
export class ContactCenterChanges {
  private readonly listeners = new Set<Listener>();

  /** Calls `listener` with the (lower-case) ccid of every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(ccid: string): void {
    const key = ccid.toLowerCase();
    for (const listener of this.listeners) listener(key);
  }
}
