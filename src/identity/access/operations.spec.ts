import { PERMISSIONS, type Principal } from '../principal';
import { OPERATIONS, refusalOf } from './operations';

const CC = '18bae11b-0000-4000-8000-000000000001';
const agent: Principal = { kind: 'user', userName: 'alice', ccid: CC, roles: ['agent'], permissions: [], accessGroups: [], agentId: 'a1' };
const supervisor: Principal = { ...agent, userName: 'sue', roles: ['supervisor'], permissions: ['decrypt', 'applyNonDelete', 'manageLabels', 'manageCertificates'] };
const service: Principal = { kind: 'service', userName: 'rp', ccid: CC, roles: [], permissions: [], accessGroups: [] };
const ops: Principal = { kind: 'ops', userName: 'ops', roles: ['admin'], permissions: [...PERMISSIONS], accessGroups: ['/'] };

const allowed = (p: Principal) => OPERATIONS.filter((op) => refusalOf(p, op) === undefined);

describe('the operation table', () => {
  it('gives each kind of caller exactly its operations', () => {
    expect(allowed(agent)).toEqual(['read', 'search', 'play']);
    expect(allowed(supervisor)).toEqual(['read', 'search', 'play', 'decrypt', 'label', 'hold', 'control']);
    expect(allowed(service)).toEqual(['read', 'search', 'play', 'download', 'decrypt']);
    expect(allowed(ops)).toEqual([...OPERATIONS]);
  });

  it('grants delete only with deleteRecordings, to users and service accounts alike', () => {
    expect(refusalOf({ ...supervisor, roles: ['supervisor', 'admin'] }, 'delete')).toEqual({ kind: 'permission', message: 'Insufficient recording permissions: deleteRecordings required.' });
    expect(refusalOf({ ...agent, permissions: ['deleteRecordings'] }, 'delete')).toBeUndefined();
    expect(refusalOf({ ...service, permissions: ['deleteRecordings'] }, 'delete')).toBeUndefined();
  });

  it('reads permissions literally, also for a principal that only claims to be ops', () => {
    expect(refusalOf({ ...ops, permissions: [] }, 'decrypt')?.kind).toBe('permission');
    expect(refusalOf({ ...ops, permissions: [] }, 'manage')).toBeUndefined();
  });

  it('refuses by role (statusCode 5) what a kind may never do, by permission (statusCode 3) what it was not granted', () => {
    expect(refusalOf(agent, 'download')?.kind).toBe('role');
    expect(refusalOf(service, 'control')?.kind).toBe('role');
    expect(refusalOf(supervisor, 'manage')?.kind).toBe('role');
    expect(refusalOf(agent, 'hold')?.kind).toBe('permission');
  });
});
