import { Logger, Provider } from '@nestjs/common';
import type { AppConfig } from '../../src/config/app-config';
import type { HostPort } from '../../src/config/host-port';
import { SipServers } from '../../src/telephony/sip-servers';
import { RunningSimulator, startSimulator } from './index';

/**
 * The SIP Server simulator run inside the RWS process for the embedded default (no SIPSERVER_ADDRESSES):
 * a single server on a free loopback port, with its control surface for demos. The composition roots
 * (server/main.ts, the test and bench harnesses) bind it to the SipServers port; src/ never imports it.
 */
export class EmbeddedSimulator extends SipServers {
  private constructor(
    private readonly running: RunningSimulator | undefined,
    private readonly configured: HostPort[],
  ) {
    super();
  }

  /** Starts the simulator; its addresses replace SIPSERVER_ADDRESSES. */
  static async start(controlPort: number, controlHost = '127.0.0.1'): Promise<EmbeddedSimulator> {
    const logger = new Logger('SipServerSimulator');
    const running = await startSimulator({ host: '127.0.0.1', port: 0, controlPort, controlHost, log: (entry) => logger.debug(entry) });
    logger.log({ msg: 'built-in SIP Server simulator started (SIPSERVER_ADDRESSES unset)', addresses: running.addresses, controlUrl: running.controlUrl });
    return new EmbeddedSimulator(running, []);
  }

  /** Real SIP Servers are configured: nothing runs in-process. */
  static none(addresses: HostPort[] = []): EmbeddedSimulator {
    return new EmbeddedSimulator(undefined, addresses);
  }

  get addresses(): HostPort[] {
    return this.running?.addresses ?? this.configured;
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

/** The SipServers binding of the application: the configured servers, or the in-process simulator. */
export function sipServersFor(config: AppConfig): Provider[] {
  return [
    {
      provide: EmbeddedSimulator,
      useFactory: () =>
        config.sipServerAddresses.length === 0 ? EmbeddedSimulator.start(config.telephony.simulatorControlPort, config.telephony.simulatorControlHost) : EmbeddedSimulator.none(config.sipServerAddresses),
    },
    { provide: SipServers, useExisting: EmbeddedSimulator },
  ];
}
