import { Logger } from '@nestjs/common';
import type { HostPort } from '../config/host-port';
import { RunningSimulator, startSimulator } from '../../tools/sipserver-sim';

/**
 * The SIP Server simulator run inside the RWS process for the embedded default (no SIPSERVER_ADDRESSES):
 * a single server on a free loopback port, with its control surface for demos.
 */
export class EmbeddedSimulator {
  private constructor(private readonly running: RunningSimulator | undefined) {}

  /** Starts the simulator; its addresses replace SIPSERVER_ADDRESSES. */
  static async start(controlPort: number, controlHost = '127.0.0.1'): Promise<EmbeddedSimulator> {
    const logger = new Logger('SipServerSimulator');
    const running = await startSimulator({ host: '127.0.0.1', port: 0, controlPort, controlHost, log: (entry) => logger.debug(entry) });
    logger.log({ msg: 'built-in SIP Server simulator started (SIPSERVER_ADDRESSES unset)', addresses: running.addresses, controlUrl: running.controlUrl });
    return new EmbeddedSimulator(running);
  }

  /** Real SIP Servers are configured: nothing runs in-process. */
  static none(): EmbeddedSimulator {
    return new EmbeddedSimulator(undefined);
  }

  get addresses(): HostPort[] | undefined {
    return this.running?.addresses;
  }

  get controlUrl(): string | undefined {
    return this.running?.controlUrl;
  }

  /** The simulator itself (tests drive calls through it). */
  get simulator(): RunningSimulator | undefined {
    return this.running;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
  }
}
