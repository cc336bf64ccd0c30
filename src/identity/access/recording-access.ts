/** What the access policy needs to know about a recording (voice or screen). */
export interface RecordingFacts {
  ccid: string;
  /** Mandatory on every recording; a recording of another region is invisible on this node. */
  region: string;
  /** The recorded agent (`parameters.agentId` / the screen recording's agent). */
  agentId?: string;
  /** The recorded agent's hierarchy, e.g. `/EMEA/Sales/Team1/agent7`. */
  agentHierarchy?: string;
  /** `GRECORD_PARTITIONS` of the recording (comma-separated in attached data), e.g. `['/sales', '/support']`. */
  partitions?: string[];
}

/**
 * Which recordings a caller may see, as constraints a search can translate into queries. A recording is
 * visible when it matches the scope; `restricted` matches when any one of its three lists matches.
 */
export type RecordingScope =
  | { kind: 'none' }
  | { kind: 'all'; region: string }
  | { kind: 'contactCenter'; region: string; ccid: string }
  | {
      kind: 'restricted';
      region: string;
      ccid: string;
      /** The recorded agent is one of these. */
      agentIds: string[];
      /** The recorded agent's hierarchy lies under one of these (path-segment prefixes, `/A/B` covers `/A/B/C`, not `/A/BC`). */
      hierarchyPrefixes: string[];
      /** One of the recording's partitions equals, or lies under, one of these. */
      partitions: string[];
    };

/**
 * A path of access groups, hierarchies and partitions in one canonical form: leading `/`, no trailing
 * `/`, no empty segments (`sales/` → `/sales`, `/` stays `/`). Case is kept (groups are case-sensitive).
 */
export function canonicalPath(value: string): string {
  const segments = value.split('/').map((s) => s.trim()).filter(Boolean);
  return '/' + segments.join('/');
}

/** Whether `path` equals `prefix` or lies beneath it, segment-wise. Both canonical. */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(prefix + '/');
}

/** Whether a recording matches a scope: the single predicate behind reads, lists and post-filters. */
export function scopeAllows(scope: RecordingScope, facts: RecordingFacts): boolean {
  if (scope.kind === 'none') return false;
  if (facts.region !== scope.region) return false;
  if (scope.kind === 'all') return true;
  if (facts.ccid.toLowerCase() !== scope.ccid.toLowerCase()) return false;
  if (scope.kind === 'contactCenter') return true;
  return restrictionAllows(scope, {
    agentIds: facts.agentId ? [facts.agentId] : [],
    hierarchies: facts.agentHierarchy ? [facts.agentHierarchy] : [],
    partitions: facts.partitions ?? [],
  });
}

/** A restricted scope's three lists, as the voice search stores and indexes them. */
export interface Restriction {
  agentIds: string[];
  hierarchyPrefixes: string[];
  partitions: string[];
}

/**
 * Whether a restriction lets its holder see a recording of these agents, hierarchies and partitions (a voice
 * recording may name several, one per media file): the recorded agent, a hierarchy under an access group, or a
 * partition under an access group.
 */
export function restrictionAllows(scope: Restriction, facts: { agentIds: string[]; hierarchies: string[]; partitions: string[] }): boolean {
  if (facts.agentIds.some((a) => scope.agentIds.includes(a))) return true;
  const prefixes = scope.hierarchyPrefixes.map(canonicalPath);
  const hierarchies = facts.hierarchies.filter((h) => h.trim() !== '').map(canonicalPath);
  if (hierarchies.some((h) => prefixes.some((prefix) => isUnder(h, prefix)))) return true;
  const groups = scope.partitions.map(canonicalPath);
  const partitions = facts.partitions.filter((p) => p.trim() !== '').map(canonicalPath);
  return partitions.some((p) => groups.some((group) => isUnder(p, group)));
}
