import { clearedSessionCookie, readCookie, sessionCookie } from './cookies';

describe('cookies', () => {
  it('reads one cookie among several, tolerating spaces and quotes', () => {
    expect(readCookie('a=1; JSESSIONID=abc.def-ghi; b=2', 'JSESSIONID')).toBe('abc.def-ghi');
    expect(readCookie('JSESSIONID="quoted"', 'JSESSIONID')).toBe('quoted');
    expect(readCookie('XJSESSIONID=no; JSESSIONIDX=no', 'JSESSIONID')).toBeUndefined();
    expect(readCookie('JSESSIONID=', 'JSESSIONID')).toBeUndefined();
    expect(readCookie(undefined, 'JSESSIONID')).toBeUndefined();
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and Secure only over HTTPS; clearing expires it', () => {
    expect(sessionCookie('v', 60, false)).toBe('JSESSIONID=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax');
    expect(sessionCookie('v', 60, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toMatch(/^JSESSIONID=; Path=\/; Max-Age=0;/);
  });
});
