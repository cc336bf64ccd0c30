import type { HostPort } from '../../src/config/host-port';
import { CallModel } from './call-model';
import { CallTransfers } from './call-transfers';
import type { RecordValueCase } from './recording-engine';
import { SimServer, SimFaults, SimServerHost } from './sim-server';
import { SimError } from './sim-types';

/** How to run the simulator. */
export interface SimulatorOptions {
  host?: string;
  /** Primary's port (0 = any free port). */
  port?: number;
  /** Backup's port for an HA pair (0 = any free port); absent = a single server. */
  backupPort?: number;
  /** Refuse to register DNs that were not configured (default: create them as plain Extensions). */
  strictDns?: boolean;
  recordValueCase?: RecordValueCase;
  /** Delay between the active server's death and the backup taking over (0 = at once). */
  switchoverDelayMs?: number;
  /** Give every call a new ConnID when the backup takes over (CallUUIDs stay). */
  newConnIdsOnSwitchover?: boolean;
  log?: (entry: Record<string, unknown>) => void;
}

const NO_FAULTS: SimFaults = { duplicate: 0, drop: 0, reorder: 0, garbage: 0, swallowRequests: 0 };

/**
 * The simulated SIP Server: one call model shared by a primary and an optional backup server, as in a
 * hot-standby HA pair (call state replicated). Only the active server delivers events and answers requests.
 * Killing the active server drops its links; the backup takes over (after `switchoverDelayMs`).
 */
export class SimCluster implements SimServerHost {
  readonly model: CallModel;
  readonly transfers: CallTransfers;
  readonly faults: SimFaults = { ...NO_FAULTS };
  readonly strictDns: boolean;
  readonly servers: SimServer[];
  private lastStartTime = 0;
  private switchoverTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.strictDns = options.strictDns ?? false;
    this.model = new CallModel((dn, event) => this.active()?.deliver(dn, event), options.recordValueCase);
    this.transfers = new CallTransfers(this.model);
    const host = options.host ?? '127.0.0.1';
    this.servers = [new SimServer('primary', this, host, options.port ?? 0)];
    if (options.backupPort !== undefined) this.servers.push(new SimServer('backup', this, host, options.backupPort));
  }

  async start(): Promise<void> {
    await this.servers[0].listen('active', this.nextStartTime());
    if (this.servers[1]) await this.servers[1].listen('standby', this.nextStartTime());
  }

  async stop(): Promise<void> {
    if (this.switchoverTimer) clearTimeout(this.switchoverTimer);
    for (const server of this.servers) await server.kill();
  }

  /** Primary first, then backup: what RWS's SIPSERVER_ADDRESSES would list. */
  addresses(): HostPort[] {
    return this.servers.map((s) => ({ host: this.options.host ?? '127.0.0.1', port: s.port }));
  }

  active(): SimServer | undefined {
    return this.servers.find((s) => s.role === 'active');
  }

  server(name: string): SimServer {
    const server = this.servers.find((s) => s.name === name);
    if (!server) throw new SimError(`no server ${name} (servers: ${this.servers.map((s) => s.name).join(', ')})`, 404);
    return server;
  }

  /** Crashes a server; if it was active, the other one takes over. */
  async kill(name: string): Promise<void> {
    const server = this.server(name);
    if (server.role === 'dead') throw new SimError(`${name} is not running`, 409);
    const wasActive = server.role === 'active';
    await server.kill();
    this.log({ msg: 'server killed', server: name });
    if (!wasActive) return;
    const takeOver = () => {
      this.switchoverTimer = undefined;
      const standby = this.servers.find((s) => s.role === 'standby');
      if (!standby) return;
      if (this.options.newConnIdsOnSwitchover) this.model.reassignConnIds();
      standby.role = 'active';
      this.log({ msg: 'server took over', server: standby.name });
    };
    const delay = this.options.switchoverDelayMs ?? 0;
    if (delay > 0) this.switchoverTimer = setTimeout(takeOver, delay);
    else takeOver();
  }

  /** Restarts a killed server: standby when the other one is active, active otherwise. */
  async restart(name: string): Promise<void> {
    const server = this.server(name);
    if (server.role !== 'dead') throw new SimError(`${name} is already running`, 409);
    const role = this.active() ? 'standby' : 'active';
    await server.listen(role, this.nextStartTime());
    this.log({ msg: 'server restarted', server: name, role });
  }

  setFaults(faults: Partial<SimFaults>): SimFaults {
    for (const key of Object.keys(NO_FAULTS) as (keyof SimFaults)[]) {
      const value = faults[key];
      if (value === undefined) continue;
      if (!Number.isSafeInteger(value) || value < 0) throw new SimError(`faults.${key} must be a non-negative integer`);
      this.faults[key] = value;
    }
    return { ...this.faults };
  }

  /** Forgets calls, DNs, agents and faults (links and their registrations stay). */
  reset(): void {
    this.model.reset();
    Object.assign(this.faults, NO_FAULTS);
  }

  /** Everything the simulator holds, as JSON. */
  state(): Record<string, unknown> {
    return {
      servers: this.servers.map((s) => ({ name: s.name, role: s.role, port: s.port, serverStartTime: s.startTime, links: s.describeLinks() })),
      dns: this.model.directory.listDns(),
      agents: this.model.directory.listAgents(),
      calls: this.model.allCalls().map((c) => ({
        ...this.model.snapshot(c),
        consultOf: c.consultOf,
        recordings: [...c.recordings.values()],
      })),
      faults: { ...this.faults },
    };
  }

  log(entry: Record<string, unknown>): void {
    this.options.log?.(entry);
  }

  /** Server start times identify incarnations: strictly increasing, in seconds like T-Library's. */
  private nextStartTime(): number {
    this.lastStartTime = Math.max(Math.floor(Date.now() / 1000), this.lastStartTime + 1);
    return this.lastStartTime;
  }
}
