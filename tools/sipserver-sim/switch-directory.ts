import { DnType, SimAgent, SimDn, SimError } from './sim-types';

const DN_TYPES: DnType[] = ['Extension', 'ACDPosition', 'RoutingPoint', 'TrunkGroup', 'VoiceTreatmentPort'];

/** The switch's configuration: DNs with their recording options, and the agents logged in on them. */
export class SwitchDirectory {
  private readonly dns = new Map<string, SimDn>();
  private readonly agents = new Map<string, SimAgent>();

  /** Creates or updates a DN. */
  upsertDn(input: { number: string; type?: string; record?: boolean; recordConsult?: boolean }): SimDn {
    if (typeof input.number !== 'string' || !/^[^\s]{1,64}$/.test(input.number)) throw new SimError('number must be a DN without spaces');
    if (input.type !== undefined && !DN_TYPES.includes(input.type as DnType)) throw new SimError(`type must be one of ${DN_TYPES.join(', ')}`);
    const existing = this.dns.get(input.number);
    const dn: SimDn = {
      number: input.number,
      type: (input.type as DnType | undefined) ?? existing?.type ?? 'Extension',
      record: input.record ?? existing?.record ?? false,
      recordConsult: input.recordConsult ?? existing?.recordConsult ?? false,
    };
    this.dns.set(dn.number, dn);
    return dn;
  }

  dn(number: string): SimDn | undefined {
    return this.dns.get(number);
  }

  /** A switch DN is one the directory knows; anything else on a call is an external number. */
  isSwitchDn(number: string): boolean {
    return this.dns.has(number);
  }

  requireDn(number: string): SimDn {
    const dn = this.dns.get(number);
    if (!dn) throw new SimError(`unknown DN ${number}`, 404);
    return dn;
  }

  /** Logs an agent in on a DN (idempotent for the same agent; another agent replaces the previous one). */
  login(input: { dn: string; agentId: string; record?: boolean }): SimAgent {
    this.requireDn(input.dn);
    if (typeof input.agentId !== 'string' || input.agentId.length === 0) throw new SimError('agentId is required');
    const agent: SimAgent = { agentId: input.agentId, dn: input.dn, record: input.record ?? false, state: 'NotReady' };
    this.agents.set(input.dn, agent);
    return agent;
  }

  logout(dn: string): SimAgent {
    const agent = this.agents.get(dn);
    if (!agent) throw new SimError(`no agent logged in on ${dn}`, 404);
    this.agents.delete(dn);
    return agent;
  }

  agentOn(dn: string): SimAgent | undefined {
    return this.agents.get(dn);
  }

  /** Full-time recording applies to `dn` on a call of this type (DN or Agent Login option; consult option). */
  recordsFullTime(dn: string, consult: boolean): boolean {
    const config = this.dns.get(dn);
    if (!config) return false;
    const enabled = config.record || (this.agents.get(dn)?.record ?? false);
    return enabled && (!consult || config.recordConsult);
  }

  /** Agent-side DNs: the ones whose recording stops when an IVR hands the call to them. */
  isAgentDn(dn: string): boolean {
    const type = this.dns.get(dn)?.type;
    return type === 'Extension' || type === 'ACDPosition';
  }

  listDns(): SimDn[] {
    return [...this.dns.values()];
  }

  listAgents(): SimAgent[] {
    return [...this.agents.values()];
  }

  clear(): void {
    this.dns.clear();
    this.agents.clear();
  }
}
