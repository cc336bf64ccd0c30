import type { ReactNode } from 'react';
import { ContactCenterPicker } from '../../components/contact-center-picker';
import { ErrorMessage } from '../../components/error-message';
import { usePageTitle } from '../../shell/page-title';
import type { Action } from './use-action';
import { useOpsContactCenter } from './use-ops-contact-center';

/** An operator page: its title (also the document's), an optional contact-center choice, and its body. */
export function OpsPage({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <section aria-labelledby="page-title" className="ops-page">
      <h1 id="page-title">{title}</h1>
      {intro ? <p className="hint">{intro}</p> : null}
      {children}
    </section>
  );
}

/** For pages about one contact center: the picker, then the body once a contact center is chosen. */
export function WithContactCenter({ children }: { children: (ccid: string) => ReactNode }) {
  const [ccid, setCcid] = useOpsContactCenter();
  return (
    <>
      <ContactCenterPicker value={ccid} onChange={setCcid} />
      {ccid ? children(ccid) : null}
    </>
  );
}

/** The outcome of an action: the API's message as an alert, or a polite confirmation. */
export function ActionOutcome({ action }: { action: Action }) {
  if (action.error) return <ErrorMessage message={action.error} />;
  if (action.notice) return <p role="status" className="notice">{action.notice}</p>;
  return null;
}

/** A list that is still loading, failed (the API's message) or empty says so instead of showing nothing. */
export function LoadState({ loading, error, empty, what }: { loading: boolean; error?: string; empty: boolean; what: string }) {
  if (error) return <ErrorMessage message={error} />;
  if (loading && empty) return <p role="status">Loading {what}…</p>;
  if (empty) return <p>No {what}.</p>;
  return null;
}

/** Comma- or space-separated words of a text field. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((word) => word.trim())
    .filter(Boolean);
}
