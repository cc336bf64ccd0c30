import { KeyObject, sign, verify } from 'node:crypto';

/** The only algorithm this node signs with: Ed25519 signatures (RFC 8037), fast and with small keys. */
export const JWT_ALGORITHM = 'EdDSA';
export const JWT_ISSUER = 'rws';
/** Longer strings are refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;

/** What a token is for: a Bearer access token, or the JSESSIONID cookie of a browser-style session. */
export type TokenUse = 'access' | 'session';

/** The claims RWS puts in its tokens. */
export interface TokenClaims {
  iss: string;
  use: TokenUse;
  /** User name. */
  sub: string;
  ccid?: string;
  kind: 'ops' | 'service' | 'user';
  /** The account's credential stamp when the token was issued; a password change invalidates the token. */
  stamp: string;
  /** Login session id: logout revokes every token and cookie of the session. */
  sid: string;
  /** Session cookies only: the CSRF token unsafe requests must echo in X-CSRF-TOKEN. */
  csrf?: string;
  jti: string;
  iat: number;
  exp: number;
}

/** A token split into its parts; nothing in it is trusted until verifySignature says so. */
export interface DecodedJwt {
  kid: string;
  claims: TokenClaims;
  signingInput: string;
  signature: Buffer;
}

/** Signs claims into a compact JWS with the given key id. */
export function signJwt(claims: TokenClaims, kid: string, privateKey: KeyObject): string {
  const header = encodeJson({ alg: JWT_ALGORITHM, typ: 'JWT', kid });
  const payload = encodeJson(claims);
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

/** Splits and parses a compact JWS; undefined when it is not a well-formed EdDSA token of ours. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  // The algorithm is pinned: a token naming another one ("none", HS256 with the public key…) is refused.
  if (!header || header.alg !== JWT_ALGORITHM || typeof header.kid !== 'string' || !claims || !isClaims(claims)) return undefined;
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length !== 64) return undefined;
  return { kid: header.kid, claims, signingInput: `${parts[0]}.${parts[1]}`, signature };
}

export function verifySignature(decoded: DecodedJwt, publicKey: KeyObject): boolean {
  return verify(null, Buffer.from(decoded.signingInput), publicKey, decoded.signature);
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isClaims(c: Record<string, unknown>): c is Record<string, unknown> & TokenClaims {
  return (
    typeof c.iss === 'string' &&
    (c.use === 'access' || c.use === 'session') &&
    typeof c.sub === 'string' &&
    (c.ccid === undefined || typeof c.ccid === 'string') &&
    (c.kind === 'ops' || c.kind === 'service' || c.kind === 'user') &&
    typeof c.stamp === 'string' &&
    typeof c.sid === 'string' &&
    (c.csrf === undefined || typeof c.csrf === 'string') &&
    typeof c.jti === 'string' &&
    Number.isFinite(c.iat) &&
    Number.isFinite(c.exp)
  );
}
