import { canonicalPath, isUnder, RecordingScope } from '../identity/access/recording-access';
import type { RecordingFacts } from './recording-facts';

/**
 * The identity module's access scope (AccessPolicy.searchScope for one contact center), in the form the
 * voice search applies to a recording's facts. A voice recording may name several agents (one per media
 * file), so each list is matched against all of them; the rules are identity's (api.md §2).
 */
export type AccessScope =
  | { kind: 'all' }
  | { kind: 'restricted'; agentIds: string[]; hierarchyPrefixes: string[]; partitions: string[] };

/** Narrows a policy scope (already resolved for the request's contact center and region) to the search's form. */
export function accessScopeFrom(scope: RecordingScope): AccessScope {
  switch (scope.kind) {
    case 'none':
      return { kind: 'restricted', agentIds: [], hierarchyPrefixes: [], partitions: [] };
    case 'all':
    case 'contactCenter':
      return { kind: 'all' };
    case 'restricted':
      return {
        kind: 'restricted',
        agentIds: scope.agentIds,
        hierarchyPrefixes: scope.hierarchyPrefixes.map(canonicalPath),
        partitions: scope.partitions.map(canonicalPath),
      };
  }
}

/** True when the scope lets its holder see a recording with these facts. */
export function scopeAllows(scope: AccessScope, facts: RecordingFacts): boolean {
  if (scope.kind === 'all') return true;
  if (facts.agentIds.some((a) => scope.agentIds.includes(a))) return true;
  const hierarchies = facts.accessGroups.filter((h) => h.trim() !== '').map(canonicalPath);
  if (hierarchies.some((h) => scope.hierarchyPrefixes.some((prefix) => isUnder(h, prefix)))) return true;
  const partitions = facts.partitions.filter((p) => p.trim() !== '').map(canonicalPath);
  return partitions.some((p) => scope.partitions.some((group) => isUnder(p, group)));
}
