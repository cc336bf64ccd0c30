import { useState, type ChangeEvent, type FormEvent } from 'react';
import { uploadCertificate } from '../../api/ops/certificates';
import { ActionOutcome } from './ops-kit';
import { useAction } from './use-action';

const EMPTY = { alias: '', certificate: '', privateKey: '', passphrase: '', activate: false };

/** Pasting or choosing PEM files: the certificate, and its private key when RWS should decrypt. */
export function CertificateUploadForm({ ccid, onUploaded }: { ccid: string; onUploaded(): void }) {
  const [form, setForm] = useState(EMPTY);
  const [fileKey, setFileKey] = useState(0);
  const action = useAction();
  const set = (patch: Partial<typeof EMPTY>) => setForm((current) => ({ ...current, ...patch }));

  const readInto = (field: 'certificate' | 'privateKey') => (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void file.text().then((text) => set({ [field]: text }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const uploaded = await action.run(
      () =>
        uploadCertificate(ccid, {
          certificate: form.certificate,
          privateKey: form.privateKey || undefined,
          passphrase: form.passphrase || undefined,
          alias: form.alias.trim() || undefined,
          activate: form.activate,
        }),
      form.activate ? 'The certificate was uploaded and is active.' : 'The certificate was uploaded.',
      onUploaded,
    );
    if (uploaded) {
      setForm(EMPTY);
      setFileKey((k) => k + 1);
    }
  }

  return (
    <form className="panel ops-form" onSubmit={(e) => void submit(e)} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a certificate</h2>
      <div className="fields two">
        <div className="field">
          <label htmlFor="cert-pem">Certificate (PEM)</label>
          <textarea id="cert-pem" rows={5} required value={form.certificate} onChange={(e) => set({ certificate: e.target.value })} placeholder="-----BEGIN CERTIFICATE-----" spellCheck={false} />
          <label htmlFor="cert-file" className="hint">
            or choose a certificate file
          </label>
          <input key={`c${fileKey}`} id="cert-file" type="file" accept=".pem,.crt,.cer" onChange={readInto('certificate')} />
        </div>
        <div className="field">
          <label htmlFor="key-pem">Private key (PEM, optional)</label>
          <textarea id="key-pem" rows={5} value={form.privateKey} onChange={(e) => set({ privateKey: e.target.value })} placeholder="-----BEGIN PRIVATE KEY-----" spellCheck={false} />
          <label htmlFor="key-file" className="hint">
            or choose a key file
          </label>
          <input key={`k${fileKey}`} id="key-file" type="file" accept=".pem,.key" onChange={readInto('privateKey')} />
        </div>
        <div className="field">
          <label htmlFor="cert-alias">Alias (default: the subject's CN)</label>
          <input id="cert-alias" value={form.alias} onChange={(e) => set({ alias: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="key-passphrase">Key passphrase (optional)</label>
          <input id="key-passphrase" type="password" value={form.passphrase} onChange={(e) => set({ passphrase: e.target.value })} autoComplete="off" />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.activate} onChange={(e) => set({ activate: e.target.checked })} /> Activate at once (retires the active certificate)
      </label>
      <ActionOutcome action={action} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Upload
        </button>
      </div>
    </form>
  );
}
