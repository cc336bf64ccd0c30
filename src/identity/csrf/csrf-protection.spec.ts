import type { Request } from 'express';
import type { Account } from '../authentication/account';
import { CsrfTokenException } from '../identity.exception';
import type { TokenClaims } from '../tokens/jwt';
import type { TokenIssuer } from '../tokens/token-issuer';
import type { TokenVerifier } from '../tokens/token-verifier';
import { CsrfProtection } from './csrf-protection';

const account: Account = { kind: 'user', userName: 'alice', ccid: 'cc', passwordHash: 'h', credentialStamp: 's', roles: [], permissions: [], accessGroups: [] };
const claims: TokenClaims = { iss: 'rws', use: 'session', sub: 'alice', ccid: 'cc', kind: 'user', stamp: 's', sid: 'sid', csrf: 'the-token', jti: 'j', iat: 0, exp: 9e9 };
const csrf = new CsrfProtection({} as TokenIssuer, {} as TokenVerifier);

function req(method: string, token?: string): Request {
  return { method, header: (name: string) => (name.toLowerCase() === 'x-csrf-token' ? token : undefined) } as unknown as Request;
}

describe('CsrfProtection.verify', () => {
  it('requires the matching token on unsafe methods of cookie-only requests', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(() => csrf.verify(req(method), { account, sessionClaims: claims })).toThrow(CsrfTokenException);
      expect(() => csrf.verify(req(method, 'wrong'), { account, sessionClaims: claims })).toThrow('Missing or invalid Csrf token');
      expect(() => csrf.verify(req(method, 'the-token'), { account, sessionClaims: claims })).not.toThrow();
    }
  });

  it('does not check safe methods or requests authenticated by an Authorization header', () => {
    expect(() => csrf.verify(req('GET'), { account, sessionClaims: claims })).not.toThrow();
    expect(() => csrf.verify(req('HEAD'), { account, sessionClaims: claims })).not.toThrow();
    expect(() => csrf.verify(req('POST', 'garbage'), { account })).not.toThrow();
  });

  it('refuses when the session carries no token at all', () => {
    expect(() => csrf.verify(req('POST', ''), { account, sessionClaims: { ...claims, csrf: undefined } })).toThrow(CsrfTokenException);
  });
});
