import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/api-error';
import { ErrorMessage } from '../components/error-message';
import { useSession } from '../session/session';
import { usePageTitle } from '../shell/page-title';

/** User name and password of an RWS account (the same identity as the API). */
export function SignInPage({ notice }: { notice?: string }) {
  usePageTitle('Sign in');
  const { signIn } = useSession();
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(userName.trim(), password);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in" id="main">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">RWS console</h1>
        {notice && !error ? <p role="status">{notice}</p> : null}
        <label htmlFor="userName">User name</label>
        <input id="userName" name="userName" autoComplete="username" required autoFocus value={userName} onChange={(e) => setUserName(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
