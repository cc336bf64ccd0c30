import { listCertificates, operateOnCertificate, type Certificate } from '../../api/ops/certificates';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { CertificateUploadForm } from './certificate-upload-form';
import { ActionOutcome, LoadState, OpsPage, WithContactCenter } from './ops-kit';
import { useAction, type Action } from './use-action';

/** A contact center's encryption certificates: upload (PEM), activate, retire. */
export function CertificatesPage() {
  return (
    <OpsPage title="Certificates" intro="Screen media is encrypted for the active certificate. A retired certificate keeps decrypting what was encrypted for it.">
      <WithContactCenter>{(ccid) => <CertificatesOf ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function CertificatesOf({ ccid }: { ccid: string }) {
  const certificates = useAsync(() => listCertificates(ccid), [ccid]);
  const action = useAction();
  const rows = certificates.data ?? [];
  return (
    <>
      <CertificateUploadForm ccid={ccid} onUploaded={certificates.reload} />
      <h2>Certificates</h2>
      <ActionOutcome action={action} />
      <LoadState loading={certificates.loading} error={certificates.error} empty={rows.length === 0} what="certificates" />
      {rows.length > 0 ? (
        <table aria-label="Certificates">
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Status</th>
              <th scope="col">Subject</th>
              <th scope="col">Valid until</th>
              <th scope="col">Key</th>
              <th scope="col">SHA-256 fingerprint</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <CertificateRow key={c.id} ccid={ccid} certificate={c} action={action} reload={certificates.reload} />
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function CertificateRow({ ccid, certificate: c, action, reload }: { ccid: string; certificate: Certificate; action: Action; reload(): void }) {
  const operate = (operation: 'activate' | 'retire', done: string) => void action.run(() => operateOnCertificate(ccid, c.id, operation), `${c.alias} ${done}.`, reload);
  return (
    <tr data-testid={`certificate-${c.alias}`}>
      <th scope="row">{c.alias}</th>
      <td>
        <span className={`badge ${c.status}`}>{c.status}</span>
      </td>
      <td>{c.subject}</td>
      <td>{formatTime(c.notAfter)}</td>
      <td>
        RSA {c.keyBits}
        {c.hasPrivateKey ? ', private key held' : ', no private key'}
      </td>
      <td className="mono">{c.fingerprint256.slice(0, 23)}…</td>
      <td>
        {c.status === 'inactive' || c.status === 'retired' ? (
          <button type="button" disabled={action.busy} aria-label={`Activate ${c.alias}`} onClick={() => operate('activate', 'is active')}>
            Activate
          </button>
        ) : null}{' '}
        {c.status === 'active' || c.status === 'inactive' ? (
          <button type="button" className="secondary" disabled={action.busy} aria-label={`Retire ${c.alias}`} onClick={() => operate('retire', 'is retired')}>
            Retire
          </button>
        ) : null}
      </td>
    </tr>
  );
}
