import { listCertificates, operateOnCertificate, type Certificate } from '../../api/ops/certificates';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { CertificateUploadForm } from './certificate-upload-form';
import { ActionButton, ActionOutcome, ListTable, OpsPage, WithContactCenter } from './ops-kit';
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
  return (
    <>
      <CertificateUploadForm ccid={ccid} onUploaded={certificates.reload} />
      <h2>Certificates</h2>
      <ActionOutcome action={action} />
      <ListTable list={certificates} what="certificates" label="Certificates" columns={['Alias', 'Status', 'Subject', 'Valid until', 'Key', 'SHA-256 fingerprint', 'Actions']} row={(c) => <CertificateRow key={c.id} ccid={ccid} certificate={c} action={action} reload={certificates.reload} />} />
    </>
  );
}

function CertificateRow({ ccid, certificate: c, action, reload }: { ccid: string; certificate: Certificate; action: Action; reload(): void }) {
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
          <ActionButton action={action} primary label={`Activate ${c.alias}`} change={() => operateOnCertificate(ccid, c.id, 'activate')} notice={`${c.alias} is active.`} after={reload}>
            Activate
          </ActionButton>
        ) : null}{' '}
        {c.status === 'active' || c.status === 'inactive' ? (
          <ActionButton action={action} label={`Retire ${c.alias}`} change={() => operateOnCertificate(ccid, c.id, 'retire')} notice={`${c.alias} is retired.`} after={reload}>
            Retire
          </ActionButton>
        ) : null}
      </td>
    </tr>
  );
}
