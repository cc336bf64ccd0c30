import type { Principal } from '../identity/principal';
import type { RecordingFacts } from './recording-facts';

/**
 * Which recordings of a contact center a caller may see (api.md §2 "Access control"). This is the one
 * seam for access: search filters by it, get/delete/operations check it. The identity module's
 * AccessPolicy replaces `accessScopeOf` at merge; the rules of `scopeAllows` are those of the contract.
 */
export type AccessScope =
  | { kind: 'all' }
  | { kind: 'restricted'; agentIds: string[]; hierarchyPrefixes: string[]; partitions: string[] };

/** The scope of a principal: ops and service accounts see all of their contact center, users what their groups allow. */
export function accessScopeOf(principal: Principal): AccessScope {
  if (principal.kind === 'ops' || principal.kind === 'service') return { kind: 'all' };
  return {
    kind: 'restricted',
    agentIds: principal.agentId ? [principal.agentId] : [],
    hierarchyPrefixes: principal.accessGroups,
    partitions: principal.accessGroups,
  };
}

/** True when the scope lets its holder see a recording with these facts. */
export function scopeAllows(scope: AccessScope, facts: RecordingFacts): boolean {
  if (scope.kind === 'all') return true;
  if (facts.agentIds.some((a) => scope.agentIds.includes(a))) return true;
  if (facts.accessGroups.some((h) => scope.hierarchyPrefixes.some((prefix) => isHierarchyPrefix(prefix, h)))) return true;
  return facts.partitions.some((p) => scope.partitions.includes(p));
}

/** Whether `principal` may see a recording with `facts`. */
export function canSee(principal: Principal, facts: RecordingFacts): boolean {
  return scopeAllows(accessScopeOf(principal), facts);
}

/** `/Region/Team` covers `/Region/Team` and `/Region/Team/Agent`, not `/Region/Teamwork`; `/` covers all. */
export function isHierarchyPrefix(prefix: string, hierarchy: string): boolean {
  if (prefix === '/' || prefix === hierarchy) return true;
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return hierarchy.startsWith(base);
}
