import { Injectable, OnApplicationShutdown } from '@nestjs/common';

/**
 * Whether this node is on its way out. While draining, /health/live answers 503 so the load balancer stops
 * sending new requests here, while requests already in flight (and those the balancer sends before its next
 * check) are still served normally.
 */
@Injectable()
export class NodeDrain implements OnApplicationShutdown {
  private started = false;
  private readonly whenClosed: (() => void)[] = [];

  get draining(): boolean {
    return this.started;
  }

  /** Starts draining; resolves after `seconds`, when the balancer has had time to take the node out. */
  drain(seconds: number): Promise<void> {
    this.started = true;
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }

  /** Runs `cleanup` when the application closes (e.g. removes signal listeners that hold the application). */
  onClosed(cleanup: () => void): void {
    this.whenClosed.push(cleanup);
  }

  onApplicationShutdown(): void {
    for (const cleanup of this.whenClosed.splice(0)) cleanup();
  }
}
