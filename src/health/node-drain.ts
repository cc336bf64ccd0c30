import { BeforeApplicationShutdown, Injectable, OnApplicationShutdown } from '@nestjs/common';

/**
 * Whether this node is on its way out. While draining, /health/live answers 503 so the load balancer stops
 * sending new requests here, while requests already in flight (and those the balancer sends before its next
 * check) are still served normally.
 */
@Injectable()
export class NodeDrain implements BeforeApplicationShutdown, OnApplicationShutdown {
  private started = false;
  private readonly whenClosing: (() => void)[] = [];
  private readonly whenClosed: (() => void)[] = [];

  get draining(): boolean {
    return this.started;
  }

  /** Starts draining; resolves after `seconds`, when the balancer has had time to take the node out. */
  drain(seconds: number): Promise<void> {
    this.started = true;
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }

  /** Runs `start` when the application begins to close, just before its HTTP server stops listening. */
  onClosing(start: () => void): void {
    this.whenClosing.push(start);
  }

  /** Runs `cleanup` when the application has closed (e.g. removes signal listeners that hold the application). */
  onClosed(cleanup: () => void): void {
    this.whenClosed.push(cleanup);
  }

  beforeApplicationShutdown(): void {
    for (const start of this.whenClosing.splice(0)) start();
  }

  onApplicationShutdown(): void {
    for (const cleanup of this.whenClosed.splice(0)) cleanup();
  }
}
