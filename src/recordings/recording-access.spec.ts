import type { Principal } from '../identity/principal';
import { accessScopeOf, canSee, isHierarchyPrefix, scopeAllows } from './recording-access';
import type { RecordingFacts } from './recording-facts';

const facts = (overrides: Partial<RecordingFacts>): RecordingFacts => ({
  region: 'r',
  startMs: 0,
  stopMs: 0,
  timed: true,
  caller: '',
  dialed: '',
  agentIds: [],
  userNames: [],
  partitions: [],
  labels: [],
  callUuids: [],
  connIds: [],
  accessGroups: [],
  ...overrides,
});
const user = (overrides: Partial<Principal>): Principal => ({ kind: 'user', userName: 'u', roles: ['agent'], permissions: [], accessGroups: [], ...overrides });

describe('recording access', () => {
  it('lets ops and service accounts see everything of their contact center', () => {
    expect(canSee({ ...user({}), kind: 'ops' }, facts({}))).toBe(true);
    expect(accessScopeOf({ ...user({}), kind: 'service' })).toEqual({ kind: 'all' });
  });

  it('lets a user see own recordings, those under an access group prefix, and those of a partition', () => {
    expect(canSee(user({ agentId: 'a1' }), facts({ agentIds: ['a1'] }))).toBe(true);
    expect(canSee(user({ agentId: 'a1' }), facts({ agentIds: ['a2'] }))).toBe(false);
    expect(canSee(user({ accessGroups: ['/West'] }), facts({ accessGroups: ['/West/Team1/agent7'] }))).toBe(true);
    expect(canSee(user({ accessGroups: ['/West'] }), facts({ accessGroups: ['/Westwood/Team1'] }))).toBe(false);
    expect(canSee(user({ accessGroups: ['/sales'] }), facts({ partitions: ['/support', '/sales'] }))).toBe(true);
    expect(canSee(user({ accessGroups: ['/sales'] }), facts({ partitions: ['/support'] }))).toBe(false);
  });

  it('matches hierarchy prefixes on whole segments', () => {
    expect(isHierarchyPrefix('/', '/anything')).toBe(true);
    expect(isHierarchyPrefix('/A/B/', '/A/B/C')).toBe(true);
    expect(isHierarchyPrefix('/A/B', '/A/B')).toBe(true);
    expect(isHierarchyPrefix('/A/B', '/A/BC')).toBe(false);
    expect(scopeAllows({ kind: 'restricted', agentIds: [], hierarchyPrefixes: [], partitions: [] }, facts({ agentIds: ['x'] }))).toBe(false);
  });
});
