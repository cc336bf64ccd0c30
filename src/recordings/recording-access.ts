import { canonicalPath, RecordingScope, Restriction, restrictionAllows } from '../identity/access/recording-access';
import type { RecordingFacts } from './recording-facts';

/**
 * The identity module's access scope (AccessPolicy.searchScope for one contact center), in the form the
 * voice search applies to a recording's facts and turns into queries. The predicate is identity's
 * (restrictionAllows): a voice recording may name several agents (one per media file), each list is
 * matched against all of them.
 */
export type AccessScope = { kind: 'all' } | ({ kind: 'restricted' } & Restriction);

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
  return restrictionAllows(scope, { agentIds: facts.agentIds, hierarchies: facts.accessGroups, partitions: facts.partitions });
}
