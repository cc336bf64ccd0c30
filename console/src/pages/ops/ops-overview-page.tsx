import { usePageTitle } from '../../shell/page-title';

/** Placeholder of the operator section until its pages arrive. */
export function OpsOverviewPage() {
  usePageTitle('Operations');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Operations</h1>
      <p>Operator pages (contact centers, users, certificates, recorders, health) appear here.</p>
    </section>
  );
}
