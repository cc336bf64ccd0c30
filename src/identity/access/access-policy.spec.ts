import type { AppConfig } from '../../config/app-config';
import { InsufficientPermissionsException } from '../identity.exception';
import { PERMISSIONS, type Principal } from '../principal';
import { AccessPolicy } from './access-policy';
import { RecordingNotFoundException } from './access.exception';
import { RecordingFacts, scopeAllows } from './recording-access';

const CC = '11111111-1111-1111-1111-111111111111';
const OTHER_CC = '22222222-2222-2222-2222-222222222222';
const policy = new AccessPolicy({ region: 'usw1' } as AppConfig);

function user(overrides: Partial<Principal>): Principal {
  return { kind: 'user', userName: 'u', ccid: CC, roles: ['agent'], permissions: [], accessGroups: [], ...overrides };
}

function recording(overrides: Partial<RecordingFacts> = {}): RecordingFacts {
  return { ccid: CC, region: 'usw1', agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice', partitions: [], ...overrides };
}

const ops: Principal = { kind: 'ops', userName: 'ops', roles: ['admin'], permissions: [...PERMISSIONS], accessGroups: ['/'] };
const service: Principal = { kind: 'service', userName: 'processor', ccid: CC, roles: [], permissions: [], accessGroups: [] };
const alice = user({ userName: 'alice', agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice' });
const bob = user({ userName: 'bob', agentId: 'a-bob', agentHierarchy: '/EMEA/Sales/bob' });
const salesSupervisor = user({ userName: 'sue', roles: ['supervisor'], accessGroups: ['/EMEA/Sales'], permissions: ['decrypt'] });
const apacSupervisor = user({ userName: 'sam', roles: ['supervisor'], accessGroups: ['/APAC'] });
const partitionAnalyst = user({ userName: 'pat', accessGroups: ['/sales'] });

describe('AccessPolicy', () => {
  describe('own recordings', () => {
    it('an agent sees its own recording and not another agent’s', () => {
      expect(policy.canSeeRecording(alice, recording())).toBe(true);
      expect(policy.canSeeRecording(bob, recording())).toBe(false);
    });

    it('an agent without access groups does not see its hierarchy siblings', () => {
      expect(policy.canSeeRecording(alice, recording({ agentId: 'a-bob', agentHierarchy: '/EMEA/Sales/bob' }))).toBe(false);
    });

    it('a user with neither agent id nor groups sees nothing', () => {
      expect(policy.searchScope(user({}))).toEqual({ kind: 'none' });
      expect(policy.canSeeRecording(user({}), recording({ agentId: undefined }))).toBe(false);
    });

    it('an empty agent id on a recording matches nobody', () => {
      expect(policy.canSeeRecording(user({ agentId: '' }), recording({ agentId: '' }))).toBe(false);
    });
  });

  describe('agent hierarchy prefixes', () => {
    it('a supervisor sees recordings of agents under its group', () => {
      expect(policy.canSeeRecording(salesSupervisor, recording())).toBe(true);
      expect(policy.canSeeRecording(salesSupervisor, recording({ agentId: 'a-x', agentHierarchy: '/EMEA/Sales/Team2/x' }))).toBe(true);
      expect(policy.canSeeRecording(salesSupervisor, recording({ agentHierarchy: '/EMEA/Sales' }))).toBe(true);
    });

    it('a supervisor outside the hierarchy sees nothing of it', () => {
      expect(policy.canSeeRecording(apacSupervisor, recording())).toBe(false);
      expect(policy.canSeeRecording(salesSupervisor, recording({ agentHierarchy: '/APAC/Sales/x' }))).toBe(false);
    });

    it('prefixes are whole path segments: /EMEA/Sales does not cover /EMEA/SalesOps', () => {
      expect(policy.canSeeRecording(salesSupervisor, recording({ agentHierarchy: '/EMEA/SalesOps/x' }))).toBe(false);
      expect(policy.canSeeRecording(salesSupervisor, recording({ agentHierarchy: '/EMEA' }))).toBe(false);
    });

    it('tolerates trailing and doubled slashes on either side', () => {
      const sloppy = user({ accessGroups: ['EMEA/Sales/'] });
      expect(policy.canSeeRecording(sloppy, recording({ agentHierarchy: '/EMEA//Sales/alice/' }))).toBe(true);
    });

    it('is case-sensitive', () => {
      expect(policy.canSeeRecording(salesSupervisor, recording({ agentHierarchy: '/emea/sales/alice' }))).toBe(false);
    });

    it('the root group / sees the whole contact center and nothing beyond', () => {
      const root = user({ accessGroups: ['/'] });
      expect(policy.searchScope(root)).toEqual({ kind: 'contactCenter', region: 'usw1', ccid: CC });
      expect(policy.canSeeRecording(root, recording({ agentId: undefined, agentHierarchy: undefined }))).toBe(true);
      expect(policy.canSeeRecording(root, recording({ ccid: OTHER_CC }))).toBe(false);
    });
  });

  describe('partitions', () => {
    it('a group matching one of the partitions grants access', () => {
      expect(policy.canSeeRecording(partitionAnalyst, recording({ agentHierarchy: '/X/y', partitions: ['/support', '/sales'] }))).toBe(true);
    });

    it('a sub-partition is covered by its parent group, partitions without a leading slash are canonicalised', () => {
      expect(policy.canSeeRecording(partitionAnalyst, recording({ agentHierarchy: undefined, partitions: ['/sales/emea'] }))).toBe(true);
      expect(policy.canSeeRecording(partitionAnalyst, recording({ agentHierarchy: undefined, partitions: ['sales'] }))).toBe(true);
    });

    it('mismatching partitions grant nothing', () => {
      expect(policy.canSeeRecording(partitionAnalyst, recording({ partitions: ['/support'] }))).toBe(false);
      expect(policy.canSeeRecording(partitionAnalyst, recording({ partitions: ['/salesforce'] }))).toBe(false);
      expect(policy.canSeeRecording(partitionAnalyst, recording({ partitions: ['', ' '] }))).toBe(false);
      expect(policy.canSeeRecording(partitionAnalyst, recording({ partitions: undefined }))).toBe(false);
    });
  });

  describe('contact centers, ops and service accounts', () => {
    it('a user never sees another contact center, even with a matching group', () => {
      expect(policy.canSeeRecording(salesSupervisor, recording({ ccid: OTHER_CC }))).toBe(false);
      expect(policy.canSeeRecording(alice, recording({ ccid: OTHER_CC }))).toBe(false);
    });

    it('a service account sees all of its contact center, none of another', () => {
      expect(policy.canSeeRecording(service, recording({ agentId: undefined, agentHierarchy: undefined }))).toBe(true);
      expect(policy.canSeeRecording(service, recording({ ccid: OTHER_CC }))).toBe(false);
    });

    it('the ops account sees every contact center; on an ops path only that one', () => {
      expect(policy.canSeeRecording(ops, recording({ ccid: OTHER_CC }))).toBe(true);
      expect(policy.canSeeRecording(ops, recording({ ccid: OTHER_CC }), CC)).toBe(false);
      expect(policy.canSeeRecording(ops, recording(), CC.toUpperCase())).toBe(true);
    });

    it('an ops path of another contact center shows a service account or user nothing', () => {
      expect(policy.searchScope(service, OTHER_CC)).toEqual({ kind: 'none' });
      expect(policy.searchScope(alice, OTHER_CC)).toEqual({ kind: 'none' });
      expect(policy.canSeeRecording(service, recording(), CC)).toBe(true);
    });

    it('compares contact center ids case-insensitively', () => {
      expect(policy.canSeeRecording(alice, recording({ ccid: CC.toUpperCase() }))).toBe(true);
    });
  });

  describe('region', () => {
    it('a recording of another region is invisible to everyone, ops included', () => {
      for (const p of [ops, service, alice, salesSupervisor]) expect(policy.canSeeRecording(p, recording({ region: 'euw1' }))).toBe(false);
    });
  });

  describe('reads and lists agree', () => {
    const fixtures: RecordingFacts[] = [
      recording(),
      recording({ agentId: 'a-bob', agentHierarchy: '/EMEA/Sales/bob' }),
      recording({ agentId: 'a-x', agentHierarchy: '/APAC/x', partitions: ['/sales'] }),
      recording({ agentId: 'a-y', agentHierarchy: '/EMEA/SalesOps/y' }),
      recording({ ccid: OTHER_CC }),
      recording({ region: 'euw1' }),
    ];

    it.each([
      ['alice', alice, [0]],
      ['bob', bob, [1]],
      ['sales supervisor', salesSupervisor, [0, 1]],
      ['apac supervisor', apacSupervisor, [2]],
      ['partition analyst', partitionAnalyst, [2]],
      ['service', service, [0, 1, 2, 3]],
      ['ops', ops, [0, 1, 2, 3, 4]],
    ] as const)('%s sees exactly the expected recordings through both the scope and the read check', (_name, principal, visible) => {
      const scope = policy.searchScope(principal);
      const viaScope = fixtures.map((f, i) => (scopeAllows(scope, f) ? i : -1)).filter((i) => i >= 0);
      const viaRead = fixtures.map((f, i) => (policy.canSeeRecording(principal, f) ? i : -1)).filter((i) => i >= 0);
      expect(viaScope).toEqual([...visible]);
      expect(viaRead).toEqual([...visible]);
    });

    it('exposes the constraints a search translates into queries', () => {
      expect(policy.searchScope(salesSupervisor)).toEqual({
        kind: 'restricted',
        region: 'usw1',
        ccid: CC,
        agentIds: [],
        hierarchyPrefixes: ['/EMEA/Sales'],
        partitions: ['/EMEA/Sales'],
      });
      expect(policy.searchScope(alice)).toMatchObject({ kind: 'restricted', agentIds: ['a-alice'], hierarchyPrefixes: [] });
      expect(policy.searchScope(ops)).toEqual({ kind: 'all', region: 'usw1' });
    });
  });

  describe('requireVisible', () => {
    it('answers a hidden recording exactly like a missing one (404, statusCode 6)', () => {
      const hidden = () => policy.requireVisible(bob, recording(), 'REC1');
      const missing = () => policy.requireVisible(bob, undefined, 'REC1');
      expect(hidden).toThrow(RecordingNotFoundException);
      expect(missing).toThrow(RecordingNotFoundException);
      expect(() => hidden()).toThrow('Requested recording [REC1] cannot be found.');
      expect(() => missing()).toThrow('Requested recording [REC1] cannot be found.');
    });

    it('returns the recording when visible', () => {
      const r = recording();
      expect(policy.requireVisible(alice, r, 'REC1')).toBe(r);
    });
  });

  describe('permissions', () => {
    it('requireDecrypt: 403 statusCode 3 without the permission; service accounts of the contact center and ops pass', () => {
      expect(() => policy.requireDecrypt(alice)).toThrow(InsufficientPermissionsException);
      expect(() => policy.requireDecrypt(service)).not.toThrow();
      expect(() => policy.requireDecrypt(salesSupervisor)).not.toThrow();
      expect(() => policy.requireDecrypt(ops)).not.toThrow();
      expect(() => policy.requireOperation(salesSupervisor, 'label')).toThrow(InsufficientPermissionsException);
    });

    it('delete needs deleteRecordings explicitly: no role and no service account has it for free', () => {
      expect(() => policy.requireOperation(alice, 'delete')).toThrow(InsufficientPermissionsException);
      expect(() => policy.requireOperation({ ...salesSupervisor, roles: ['supervisor', 'admin'] }, 'delete')).toThrow(InsufficientPermissionsException);
      expect(() => policy.requireOperation(service, 'delete')).toThrow(InsufficientPermissionsException);
      expect(() => policy.requireOperation(service, 'hold')).toThrow(InsufficientPermissionsException);
      expect(() => policy.requireOperation({ ...alice, permissions: ['deleteRecordings'] }, 'delete')).not.toThrow();
      expect(() => policy.requireOperation(ops, 'delete')).not.toThrow();
    });
  });
});
