import { Injectable } from '@nestjs/common';
import { canonicalPath, isUnder } from '../identity/access/recording-access';
import { UserStore } from '../identity/users/user.store';
import type { AccessScope } from './recording-access';

/**
 * Rule (b) of api.md §2 for voice recordings: a user sees the recordings of the agents whose hierarchy lies
 * under one of the user's access groups. A voice document names its agent (`parameters.agentId`) but often
 * not the hierarchy — the contract's own example carries `accessgroups: ["/"]` — so the hierarchy is the
 * one of the agent's user record (`agentHierarchy`); a document's own non-root `accessgroups` still count.
 */
@Injectable()
export class AgentHierarchies {
  constructor(private readonly users: UserStore) {}

  /** The scope with, added to its agents, every agent of the contact center whose hierarchy it covers. */
  async widen(ccid: string, scope: AccessScope): Promise<AccessScope> {
    if (scope.kind !== 'restricted' || scope.hierarchyPrefixes.length === 0) return scope;
    const covered = (await this.users.list(ccid))
      .filter((u) => u.agentId && u.agentHierarchy && scope.hierarchyPrefixes.some((prefix) => isUnder(canonicalPath(u.agentHierarchy!), prefix)))
      .map((u) => u.agentId!);
    return covered.length === 0 ? scope : { ...scope, agentIds: [...new Set([...scope.agentIds, ...covered])] };
  }
}
