import type { Request } from 'express';
import type { Principal } from '../identity/principal';
import { opsContext, publicContext, requireOwnContactCenter } from './recording-context.factory';

const CC = '18bae11b-0000-4000-8000-000000000001';
const OTHER = '18bae11b-0000-4000-8000-000000000002';
const principal = (kind: Principal['kind'], ccid?: string): Principal => ({ kind, userName: 'x', ccid, roles: [], permissions: [], accessGroups: [] });
const request = (query: Record<string, unknown> = {}) => ({ query, ip: '127.0.0.1', protocol: 'http', host: 'rws:8080', socket: {}, get: () => 'rws:8080' }) as unknown as Request;

describe('recording request contexts', () => {
  it('lets ops name any contact center, others only their own', () => {
    expect(requireOwnContactCenter(principal('ops'), CC.toUpperCase())).toBe(CC);
    expect(requireOwnContactCenter(principal('service', CC), CC)).toBe(CC);
    expect(() => requireOwnContactCenter(principal('service', CC), OTHER)).toThrow(`Contact center [${OTHER}] cannot be found.`);
    expect(() => opsContext(request(), principal('user', CC), OTHER)).toThrow('cannot be found');
  });

  it('takes the public contact center from the caller, or from ?ccid= for ops', () => {
    expect(publicContext(request({ ccid: OTHER }), principal('user', CC)).ccid).toBe(CC);
    expect(publicContext(request({ ccid: CC }), principal('ops')).ccid).toBe(CC);
    expect(() => publicContext(request(), principal('ops'))).toThrow("Parameter 'ccid' is invalid");
    expect(publicContext(request({ ccid: CC }), principal('ops')).links).toEqual({ baseUrl: 'http://rws:8080', family: '' });
    expect(opsContext(request(), principal('ops'), CC).links.family).toBe(`/ops/contact-centers/${CC}`);
  });
});
