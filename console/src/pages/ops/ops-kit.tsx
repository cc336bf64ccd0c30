import type { ReactNode } from 'react';
import { ContactCenterPicker } from '../../components/contact-center-picker';
import { ErrorMessage } from '../../components/error-message';
import type { AsyncState } from '../../components/use-async';
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

/**
 * A button that runs one change of the page through its `action`: disabled while any runs, then the API's
 * message or `notice`, then `after` (usually a reload). Secondary unless `primary`.
 */
export function ActionButton({ action, change, notice, after, label, primary, children }: {
  action: Action;
  change(): Promise<unknown>;
  notice: string;
  after?: () => void;
  label?: string;
  primary?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className={primary ? undefined : 'secondary'} disabled={action.busy} aria-label={label} onClick={() => void action.run(change, notice, after)}>
      {children}
    </button>
  );
}

/** A list that is still loading, failed (the API's message) or empty says so instead of showing nothing. */
function LoadState({ loading, error, empty, what }: { loading: boolean; error?: string; empty: boolean; what: string }) {
  if (error) return <ErrorMessage message={error} />;
  if (loading && empty) return <p role="status">Loading {what}…</p>;
  if (empty) return <p>No {what}.</p>;
  return null;
}

/**
 * A list the page loaded, as a table named `label` with one column per heading and `row` per item; while it
 * loads, when it failed or when it is empty, a line about `what` instead.
 */
export function ListTable<T>({ list, what, label, columns, row }: { list: AsyncState<T[]>; what: string; label: string; columns: string[]; row(item: T): ReactNode }) {
  const rows = list.data ?? [];
  return (
    <>
      <LoadState loading={list.loading} error={list.error} empty={rows.length === 0} what={what} />
      {rows.length > 0 ? (
        <table aria-label={label}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">{column}</th>
              ))}
            </tr>
          </thead>
          <tbody>{rows.map(row)}</tbody>
        </table>
      ) : null}
    </>
  );
}

/** Comma- or space-separated words of a text field. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((word) => word.trim())
    .filter(Boolean);
}
