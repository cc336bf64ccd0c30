import { accessScopeFrom, scopeAllows } from './recording-access';
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
const restricted = (agentIds: string[], groups: string[]) =>
  accessScopeFrom({ kind: 'restricted', region: 'r', ccid: 'c', agentIds, hierarchyPrefixes: groups, partitions: groups });

describe('voice recording access (identity policy applied to multi-agent recordings)', () => {
  it('lets a contact-center-wide scope see everything and an empty scope nothing', () => {
    expect(scopeAllows(accessScopeFrom({ kind: 'contactCenter', region: 'r', ccid: 'c' }), facts({}))).toBe(true);
    expect(scopeAllows(accessScopeFrom({ kind: 'none' }), facts({ agentIds: ['a1'], partitions: ['/'] }))).toBe(false);
  });

  it('matches any recorded agent, hierarchy prefixes segment-wise, and partitions under a group', () => {
    expect(scopeAllows(restricted(['a1'], []), facts({ agentIds: ['a2', 'a1'] }))).toBe(true);
    expect(scopeAllows(restricted(['a1'], []), facts({ agentIds: ['a2'] }))).toBe(false);
    expect(scopeAllows(restricted([], ['/West']), facts({ accessGroups: ['/West/Team1/agent7'] }))).toBe(true);
    expect(scopeAllows(restricted([], ['/West']), facts({ accessGroups: ['/Westwood/Team1'] }))).toBe(false);
    expect(scopeAllows(restricted([], ['sales/']), facts({ partitions: ['/support', '/sales/emea'] }))).toBe(true);
    expect(scopeAllows(restricted([], ['/sales']), facts({ partitions: ['/support'] }))).toBe(false);
  });
});
