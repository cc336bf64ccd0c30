import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, signJwt, TokenClaims, verifySignature } from './jwt';

const keys = generateKeyPairSync('ed25519');
const claims: TokenClaims = { iss: 'rws', use: 'access', sub: 'alice', ccid: 'cc', kind: 'user', stamp: 's', sid: 'sid', jti: 'j', iat: 1, exp: 2 };

function part(token: string, i: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString()) as Record<string, unknown>;
}

describe('jwt', () => {
  it('signs a compact EdDSA JWS with the kid in the header, and verifies it', () => {
    const token = signJwt(claims, 'kid-1', keys.privateKey);
    expect(part(token, 0)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'kid-1' });
    const decoded = decodeJwt(token)!;
    expect(decoded.kid).toBe('kid-1');
    expect(decoded.claims).toEqual(claims);
    expect(verifySignature(decoded, keys.publicKey)).toBe(true);
  });

  it('fails verification with another key or an altered payload', () => {
    const token = signJwt(claims, 'kid-1', keys.privateKey);
    expect(verifySignature(decodeJwt(token)!, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    const [h, , s] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, sub: 'ops', kind: 'ops' })).toString('base64url');
    expect(verifySignature(decodeJwt(`${h}.${altered}.${s}`)!, keys.publicKey)).toBe(false);
  });

  it('refuses other algorithms, missing kids, malformed parts and wrong claim types before any key is used', () => {
    const token = signJwt(claims, 'kid-1', keys.privateKey);
    const [, p, s] = token.split('.');
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
    const payload = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url');
    const cases = [
      `${header({ alg: 'none', kid: 'kid-1' })}.${p}.`,
      `${header({ alg: 'HS256', kid: 'kid-1' })}.${p}.${s}`,
      `${header({ alg: 'EdDSA' })}.${p}.${s}`,
      `${header({ alg: 'EdDSA', kid: 'kid-1' })}.${payload({ ...claims, exp: 'never' })}.${s}`,
      `${header({ alg: 'EdDSA', kid: 'kid-1' })}.${payload({ ...claims, use: 'admin' })}.${s}`,
      `${header({ alg: 'EdDSA', kid: 'kid-1' })}.${payload([1, 2])}.${s}`,
      `${header({ alg: 'EdDSA', kid: 'kid-1' })}.${p}.${s.slice(0, 20)}`,
      'a.b',
      'a.b.c.d',
      'x'.repeat(5000),
      `${token}=`,
    ];
    for (const bad of cases) expect(decodeJwt(bad)).toBeUndefined();
  });
});
