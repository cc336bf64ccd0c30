import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-error';
import { onUnauthenticated } from '../api/client';
import { currentUser, signIn as apiSignIn, signOut as apiSignOut, type Me } from '../api/identity';

/** Where the console stands with the server: still asking, nobody signed in, or who is. */
export type SessionState = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; me: Me };

interface SessionValue {
  state: SessionState;
  signIn(userName: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

/** Holds the signed-in user; on start it asks whether the browser's session cookie is still good. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let active = true;
    currentUser().then(
      (me) => active && setState({ status: 'signed-in', me }),
      (error: unknown) => {
        if (!active) return;
        const expected = error instanceof ApiError && error.unauthenticated;
        setState({ status: 'signed-out', error: expected ? undefined : (error as Error).message });
      },
    );
    const stop = onUnauthenticated(() => setState({ status: 'signed-out', error: 'Your session has ended; please sign in again.' }));
    return () => {
      active = false;
      stop();
    };
  }, []);

  const signIn = useCallback(async (userName: string, password: string) => {
    const me = await apiSignIn(userName, password);
    setState({ status: 'signed-in', me });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiSignOut();
    } finally {
      setState({ status: 'signed-out' });
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for pages under the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a signed-in user');
  return state.me;
}
