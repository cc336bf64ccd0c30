import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DependencyUnavailableException, RwsException } from '../common/errors/rws.exception';
import type { Principal } from '../identity/principal';
import { CertificateDirectory } from './certificates/certificate-directory';
import { EnvelopeFormatError } from './cms/enveloped-data';
import { envelopeFileKey, readMediaEnvelope } from './cms/media-envelope';
import { CryptoAuditSink, KeyUnwrapAuditEvent } from './crypto-audit';
import { DecryptNotPermittedException, MediaKeyUnavailableException } from './crypto.exception';
import { CryptoService, FileKey, UnwrapContext, WrappedFileKey } from './crypto.service';
import { mayDecrypt } from './decrypt-permission';
import { PrivateKeyVault } from './keys/private-key-vault';
import { KeyUnwrapError, unwrapContentKey } from './keys/rsa-key-transport';
import { UnwrappedKeyCache } from './keys/unwrapped-key-cache';

/** Wrapping needs only public certificates, so every node does it locally, whatever holds the private keys. */
@Injectable()
export class FileKeyWrapper {
  constructor(private readonly directory: CertificateDirectory) {}

  async wrapForContactCenter(ccid: string): Promise<WrappedFileKey | undefined> {
    const active = await this.directory.active(ccid);
    if (!active) return undefined;
    const contentKey = randomBytes(32);
    const iv = randomBytes(16);
    return { pkcs7: envelopeFileKey(active.x509, contentKey, iv), contentKey, iv, certificateId: active.certificate.id };
  }
}

/** The crypto service inside this process: it holds the private keys (sealed under the master key). */
@Injectable()
export class InProcessCryptoService extends CryptoService {
  constructor(
    private readonly wrapper: FileKeyWrapper,
    private readonly directory: CertificateDirectory,
    private readonly vault: PrivateKeyVault,
    private readonly audit: CryptoAuditSink,
    private readonly recentKeys: UnwrappedKeyCache,
  ) {
    super();
  }

  wrapForContactCenter(ccid: string): Promise<WrappedFileKey | undefined> {
    return this.wrapper.wrapForContactCenter(ccid);
  }

  async unwrapFileKey(principal: Principal, ccid: string, pkcs7: string, context: UnwrapContext = {}): Promise<FileKey> {
    const event: KeyUnwrapAuditEvent = {
      outcome: 'success',
      actor: principal,
      ccid,
      resource: context.resource,
      clientAddress: context.clientAddress,
    };
    if (!mayDecrypt(principal, ccid)) {
      await this.write({ ...event, outcome: 'denied', reason: 'no decrypt permission for this contact center' });
      throw new DecryptNotPermittedException();
    }
    let key: FileKey;
    try {
      key = await this.unwrap(ccid, pkcs7, event);
    } catch (err) {
      await this.write({ ...event, outcome: 'failed', reason: err instanceof RwsException ? err.message : 'internal error' });
      throw err;
    }
    await this.write(event);
    return key;
  }

  private async unwrap(ccid: string, pkcs7: string, event: KeyUnwrapAuditEvent): Promise<FileKey> {
    let envelope;
    try {
      envelope = readMediaEnvelope(pkcs7);
    } catch (err) {
      if (err instanceof EnvelopeFormatError) throw new MediaKeyUnavailableException(`The media's pkcs7 envelope cannot be read: ${err.message}.`);
      throw err;
    }
    // Resolved for every unwrap: a certificate deleted since stops here, before any cached key is used.
    const match = await this.directory.recipientOf(ccid, envelope);
    event.certificateId = match.certificate.id;
    const recent = this.recentKeys.get(match.certificate.id, pkcs7);
    if (recent) return { ...recent, certificateId: match.certificate.id };
    const privateKey = this.vault.privateKeyOf(match.certificate);
    try {
      const contentKey = unwrapContentKey(privateKey, match.recipient.keyTransport, match.recipient.encryptedKey, envelope.contentEncryption.keyBytes);
      this.recentKeys.set(match.certificate.id, pkcs7, { contentKey, iv: envelope.contentEncryption.iv });
      return { contentKey, iv: envelope.contentEncryption.iv, certificateId: match.certificate.id };
    } catch (err) {
      if (err instanceof KeyUnwrapError) {
        throw new MediaKeyUnavailableException(`The file key cannot be unwrapped with the private key of certificate [${match.certificate.id}]: ${err.message}.`);
      }
      throw err;
    }
  }

  /** Fail closed: without its audit record, no key leaves the service. */
  private async write(event: KeyUnwrapAuditEvent): Promise<void> {
    try {
      await this.audit.record(event);
    } catch (err) {
      throw new DependencyUnavailableException('audit log', err);
    }
  }
}
