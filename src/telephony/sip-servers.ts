import type { HostPort } from '../config/host-port';

/**
 * Port: where the SIP Servers are. Telephony connects its link to `addresses` and calls `stop` after the link
 * is closed. The composition root binds it: the configured SIPSERVER_ADDRESSES, or a simulator it runs
 * in-process (telephony never knows which, and never imports the simulator).
 */
export abstract class SipServers {
  abstract readonly addresses: HostPort[];
  abstract stop(): Promise<void>;
}

/** The SIP Servers of the configuration (SIPSERVER_ADDRESSES): nothing to start or stop. */
export class ConfiguredSipServers extends SipServers {
  constructor(readonly addresses: HostPort[]) {
    super();
  }

  async stop(): Promise<void> {}
}
