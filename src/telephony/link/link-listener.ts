import type { Logger } from '@nestjs/common';
import type { TlibMessage } from '../tlib/tlib-messages';

/** The logging the link needs (Nest's Logger, or a silent one in specs). */
export type LinkLogger = Pick<Logger, 'log' | 'warn' | 'error' | 'debug'>;

/** The server the link is connected to. */
export interface LinkServerInfo {
  address: string;
  serverStartTime: number;
  serverName?: string;
  serverRole?: string;
}

/** Receives what the link learns, in stream order. */
export interface LinkListener {
  linkUp(server: LinkServerInfo): void;
  linkDown(reason: string): void;
  /** Every in-order event and answer (answers too: snapshots must be applied in stream order). */
  message(message: TlibMessage): void;
  /** Events may have been missed (gap, dropped invalid line): rebuild from the server. */
  resyncNeeded(reason: string): void;
}

/**
 * Wraps the listener so that a failure in a consumer never escapes into a socket or timer callback (which
 * would crash the process): it is logged, and a failed `message` asks for a resync to repair the state.
 */
export function guardedListener(listener: LinkListener, logger: LinkLogger): LinkListener {
  const guard = (what: string, fn: () => void, onError?: () => void) => {
    try {
      fn();
    } catch (err) {
      logger.error({ msg: `link listener failed in ${what}`, error: (err as Error).message, stack: (err as Error).stack });
      onError?.();
    }
  };
  return {
    linkUp: (server) => guard('linkUp', () => listener.linkUp(server)),
    linkDown: (reason) => guard('linkDown', () => listener.linkDown(reason)),
    message: (message) =>
      guard(`message ${message.message}`, () => listener.message(message), () => guard('resyncNeeded', () => listener.resyncNeeded('listener failure'))),
    resyncNeeded: (reason) => guard('resyncNeeded', () => listener.resyncNeeded(reason)),
  };
}
