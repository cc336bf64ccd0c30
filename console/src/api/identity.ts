import { api, forgetCsrfToken, request } from './client';

/** The signed-in caller, as `GET /api/v2/me` answers it. */
export interface Me {
  userName: string;
  kind: 'ops' | 'service' | 'user';
  ccid?: string;
  roles: string[];
  permissions: string[];
  agentId?: string;
  agentHierarchy?: string;
  accessGroups: string[];
}

interface MeResponse {
  statusCode: number;
  user: Me;
}

/** Basic credentials, UTF-8 encoded as RFC 7617 allows (user names and passwords may hold any character). */
function basic(userName: string, password: string): string {
  const bytes = new TextEncoder().encode(`${userName}:${password}`);
  let binary = '';
  bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
  return `Basic ${btoa(binary)}`;
}

/**
 * Signs in the way the api-guide describes for browsers: Basic once, on a GET, which answers the JSESSIONID
 * cookie and the CSRF token; every later request rides on the cookie. The password is not kept.
 */
export async function signIn(userName: string, password: string): Promise<Me> {
  const answer = await request<MeResponse>('GET', '/api/v2/me', { headers: { Authorization: basic(userName, password) } });
  return answer.user;
}

/** The caller of the current session cookie (after a reload); rejects with a 401 ApiError when there is none. */
export async function currentUser(): Promise<Me> {
  return (await api.get<MeResponse>('/api/v2/me')).user;
}

/** Ends the login session server-side (the cookie is revoked, not merely dropped). */
export async function signOut(): Promise<void> {
  try {
    await api.post('/api/v2/auth/logout');
  } finally {
    forgetCsrfToken();
  }
}

export function hasPermission(me: Me, permission: string): boolean {
  return me.kind === 'ops' || me.permissions.includes(permission);
}
