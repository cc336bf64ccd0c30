import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { messageOf } from '../api/api-error';
import { ErrorBoundary } from '../components/error-boundary';
import { ErrorMessage } from '../components/error-message';
import { useMe, useSession } from '../session/session';
import type { NavSection } from './navigation';

/** Header (who is signed in, sign-out), the side navigation and the current page. */
export function AppShell({ sections }: { sections: NavSection[] }) {
  const me = useMe();
  const { signOut } = useSession();
  const [error, setError] = useState<string>();
  const main = useRef<HTMLElement>(null);
  const location = useLocation();

  // After a navigation, focus moves to the page, as a full page load would put it (screen readers read on).
  useEffect(() => {
    main.current?.focus();
  }, [location.pathname]);

  const visible = sections.filter((section) => section.visible(me));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <span className="brand">RWS console</span>
        <span className="who" data-testid="signed-in-user">
          {me.userName}
          {me.roles.length > 0 ? ` (${me.roles.join(', ')})` : me.kind === 'ops' ? ' (ops)' : ''}
        </span>
        <button type="button" onClick={() => signOut().catch((e: unknown) => setError(messageOf(e)))}>
          Sign out
        </button>
      </header>
      <nav className="shell-nav" aria-label="Main">
        {visible.map((section) => (
          <div key={section.title} className="nav-section">
            <h2>{section.title}</h2>
            <ul>
              {section.items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === '/ops'}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" ref={main} tabIndex={-1} className="shell-main">
        <ErrorMessage message={error} />
        <ErrorBoundary key={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  );
}
