import { AnonymousSessions, isAnonymousSession } from './anonymous-session';

describe('AnonymousSessions', () => {
  const sessions = new AnonymousSessions();

  it('creates recognisable values that are not tokens, with one stable CSRF token each', () => {
    const a = sessions.create();
    const b = sessions.create();
    expect(isAnonymousSession(a)).toBe(true);
    expect(a.split('.')).toHaveLength(2); // never mistaken for a JWT (three parts)
    expect(a).not.toBe(b);
    expect(sessions.csrfTokenOf(a)).toBe(sessions.csrfTokenOf(a));
    expect(sessions.csrfTokenOf(a)).not.toBe(sessions.csrfTokenOf(b));
  });

  it('accepts only well-formed anonymous values', () => {
    expect(sessions.accept(sessions.create())).toBeDefined();
    expect(sessions.accept('anon.short')).toBeUndefined();
    expect(sessions.accept('eyJhbGciOiJFZERTQSJ9.e30.sig')).toBeUndefined();
    expect(sessions.accept(undefined)).toBeUndefined();
  });
});
