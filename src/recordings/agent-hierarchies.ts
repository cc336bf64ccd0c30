import { Injectable } from '@nestjs/common';
import { ClusterEvents } from '../cluster/cluster-events';
import { canonicalPath, isUnder } from '../identity/access/recording-access';
import { UserStore } from '../identity/users/user.store';
import type { AccessScope } from './recording-access';

/** How long a contact center's agent hierarchies are reused; any account change on any node drops them first. */
const TTL_MS = 2_000;

interface AgentHierarchy {
  agentId: string;
  hierarchy: string;
}

/**
 * Rule (b) of api.md §2 for voice recordings: a user sees the recordings of the agents whose hierarchy lies
 * under one of the user's access groups. A voice document names its agent (`parameters.agentId`) but often
 * not the hierarchy — the contract's own example carries `accessgroups: ["/"]` — so the hierarchy is the
 * one of the agent's user record (`agentHierarchy`); a document's own non-root `accessgroups` still count.
 *
 * Every read and search of a restricted supervisor needs the contact center's agents: they are kept briefly
 * (not re-listed per request) and forgotten on any account change, so a moved agent is seen at once.
 */
@Injectable()
export class AgentHierarchies {
  private readonly cache = new Map<string, { agents: Promise<AgentHierarchy[]>; fetchedAt: number }>();

  constructor(
    private readonly users: UserStore,
    events: ClusterEvents,
  ) {
    events.subscribe('account-changed', () => this.cache.clear());
    events.onResync(() => this.cache.clear());
  }

  /** The scope with, added to its agents, every agent of the contact center whose hierarchy it covers. */
  async widen(ccid: string, scope: AccessScope): Promise<AccessScope> {
    if (scope.kind !== 'restricted' || scope.hierarchyPrefixes.length === 0) return scope;
    const covered = (await this.agentsOf(ccid))
      .filter((a) => scope.hierarchyPrefixes.some((prefix) => isUnder(a.hierarchy, prefix)))
      .map((a) => a.agentId);
    return covered.length === 0 ? scope : { ...scope, agentIds: [...new Set([...scope.agentIds, ...covered])] };
  }

  private agentsOf(ccid: string): Promise<AgentHierarchy[]> {
    const hit = this.cache.get(ccid);
    if (hit && Date.now() - hit.fetchedAt < TTL_MS) return hit.agents;
    const agents = this.users.list(ccid).then((users) =>
      users.filter((u) => u.agentId && u.agentHierarchy).map((u) => ({ agentId: u.agentId!, hierarchy: canonicalPath(u.agentHierarchy!) })),
    );
    const entry = { agents, fetchedAt: Date.now() };
    this.cache.set(ccid, entry);
    // A failed read is not kept: the next request tries the store again.
    agents.catch(() => this.cache.get(ccid) === entry && this.cache.delete(ccid));
    return agents;
  }
}
