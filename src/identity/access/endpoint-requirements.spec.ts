import { ErrorCode } from '../../common/errors/error-code';
import type { RwsException } from '../../common/errors/rws.exception';
import type { Principal } from '../principal';
import { enforceRequirements } from './endpoint-requirements';

const CC = '11111111-1111-1111-1111-111111111111';
const ops: Principal = { kind: 'ops', userName: 'ops', roles: ['admin'], permissions: [], accessGroups: ['/'] };
const service: Principal = { kind: 'service', userName: 'rp', ccid: CC, roles: [], permissions: [], accessGroups: [] };
const agent: Principal = { kind: 'user', userName: 'alice', ccid: CC, roles: ['agent'], permissions: ['decrypt'], accessGroups: [] };
const admin: Principal = { ...agent, userName: 'ann', roles: ['admin'] };

function codeOf(fn: () => void): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as RwsException).code;
  }
}

describe('enforceRequirements', () => {
  it('@OpsOnly admits only the ops account (403/5 otherwise, also for admins and service accounts)', () => {
    expect(codeOf(() => enforceRequirements(ops, { opsOnly: true }, CC))).toBeUndefined();
    for (const p of [service, agent, admin]) expect(codeOf(() => enforceRequirements(p, { opsOnly: true }, CC))).toBe(ErrorCode.InsufficientRoles);
  });

  it('@OpsOrService admits a service account of the route’s contact center only', () => {
    expect(codeOf(() => enforceRequirements(service, { opsOrService: true }, CC.toUpperCase()))).toBeUndefined();
    expect(codeOf(() => enforceRequirements(service, { opsOrService: true }, '22222222-2222-2222-2222-222222222222'))).toBe(ErrorCode.InsufficientRoles);
    expect(codeOf(() => enforceRequirements(service, { opsOrService: true }, undefined))).toBe(ErrorCode.InsufficientRoles);
    expect(codeOf(() => enforceRequirements(agent, { opsOrService: true }, CC))).toBe(ErrorCode.InsufficientRoles);
    expect(codeOf(() => enforceRequirements(ops, { opsOrService: true }, CC))).toBeUndefined();
  });

  it('@Roles needs one of the roles (403/5)', () => {
    expect(codeOf(() => enforceRequirements(agent, { roles: ['supervisor', 'admin'] }, undefined))).toBe(ErrorCode.InsufficientRoles);
    expect(codeOf(() => enforceRequirements(admin, { roles: ['supervisor', 'admin'] }, undefined))).toBeUndefined();
    expect(codeOf(() => enforceRequirements(ops, { roles: ['supervisor'] }, undefined))).toBeUndefined();
  });

  it('@RequirePermission needs every permission (403/3)', () => {
    expect(codeOf(() => enforceRequirements(agent, { permissions: ['decrypt'] }, undefined))).toBeUndefined();
    expect(codeOf(() => enforceRequirements(agent, { permissions: ['decrypt', 'manageLabels'] }, undefined))).toBe(ErrorCode.InsufficientPermissions);
    expect(codeOf(() => enforceRequirements(ops, { permissions: ['manageCertificates'] }, undefined))).toBeUndefined();
  });

  it('no requirements: any authenticated caller', () => {
    expect(codeOf(() => enforceRequirements(agent, {}, undefined))).toBeUndefined();
  });
});
