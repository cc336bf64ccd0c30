import { Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { ClusterEvents } from '../../cluster/cluster-events';
import { BoundedCache } from '../bounded-cache';
import type { EnvelopedData, KeyTransRecipient, RecipientIdentifier } from '../cms/enveloped-data';
import { MediaKeyUnavailableException } from '../crypto.exception';
import { Certificate } from './certificate';
import { CertificateStore } from './certificate.store';
import { CertificateRecipientNames, namesCertificate, recipientNamesOf } from './x509-identity';

/** A certificate with its parsed X.509 form. */
export interface ParsedCertificate {
  certificate: Certificate;
  x509: X509Certificate;
  names: CertificateRecipientNames;
}

/** The envelope recipient that names one of the contact center's certificates. */
export interface MatchedRecipient extends ParsedCertificate {
  recipient: KeyTransRecipient;
}

/**
 * How long a contact center's certificate list is reused without reading the store again. A change made
 * anywhere (upload, activate, retire, delete) is seen on every node at once (`forget` broadcasts it); when a
 * broadcast is lost (Redis away) a change made on another node is seen within this time.
 */
export const CERTIFICATE_LIST_TTL_MS = 2_000;
const MAX_LISTED_CONTACT_CENTERS = 1_024;

/** Finds a contact center's certificates by role: the active one (to encrypt), the one an envelope names (to decrypt). */
@Injectable()
export class CertificateDirectory {
  private readonly parsed = new BoundedCache<string, { x509: X509Certificate; names: CertificateRecipientNames }>(256);
  /** Recent list reads per contact center (the promise, so concurrent plays share one read). */
  private readonly lists = new BoundedCache<string, { at: number; certificates: Promise<Certificate[]> }>(MAX_LISTED_CONTACT_CENTERS);

  constructor(
    private readonly store: CertificateStore,
    private readonly events: ClusterEvents,
  ) {
    events.subscribe('certificates-changed', ({ ccid }) => this.lists.delete(ccid));
    events.onResync(() => this.lists.clear());
  }

  async active(ccid: string): Promise<ParsedCertificate | undefined> {
    const certificate = (await this.list(ccid)).find((c) => c.status === 'active');
    return certificate ? this.parse(certificate) : undefined;
  }

  /** Drops the remembered list of a contact center on every node: call after any change to its certificates. */
  forget(ccid: string): void {
    this.events.publish('certificates-changed', { ccid });
  }

  /**
   * The certificate a media envelope was wrapped for. Fails with a message an operator can act on: the
   * envelope names no certificate of this contact center, or only a deleted one.
   */
  async recipientOf(ccid: string, envelope: EnvelopedData): Promise<MatchedRecipient> {
    const certificates = (await this.list(ccid)).map((c) => this.parse(c));
    let deleted: ParsedCertificate | undefined;
    for (const recipient of envelope.recipients) {
      for (const parsed of certificates) {
        if (!namesCertificate(recipient.recipient, parsed.names)) continue;
        if (parsed.certificate.status === 'deleted') {
          deleted = parsed;
          continue;
        }
        return { ...parsed, recipient };
      }
    }
    if (deleted) {
      throw new MediaKeyUnavailableException(
        `The media was encrypted for certificate [${deleted.certificate.id}], which was deleted with its private key: it can no longer be decrypted.`,
      );
    }
    const named = envelope.recipients.map((r) => describe(r.recipient)).join('; ') || 'no key-transport recipient';
    throw new MediaKeyUnavailableException(`The media was encrypted for a certificate unknown to contact center [${ccid}] (${named}).`);
  }

  /** The contact center's certificates, read at most CERTIFICATE_LIST_TTL_MS ago (and after this node's last change). */
  private list(ccid: string): Promise<Certificate[]> {
    const now = Date.now();
    const recent = this.lists.get(ccid);
    if (recent && now - recent.at < CERTIFICATE_LIST_TTL_MS) return recent.certificates;
    const certificates = this.store.list(ccid);
    this.lists.set(ccid, { at: now, certificates });
    // A failed read is not remembered.
    certificates.catch(() => {
      if (this.lists.peek(ccid)?.certificates === certificates) this.lists.delete(ccid);
    });
    return certificates;
  }

  private parse(certificate: Certificate): ParsedCertificate {
    const cacheKey = `${certificate.id}/${certificate.fingerprint256}`;
    let entry = this.parsed.get(cacheKey);
    if (!entry) {
      const x509 = new X509Certificate(certificate.certificatePem);
      entry = { x509, names: recipientNamesOf(x509) };
      this.parsed.set(cacheKey, entry);
    }
    return { certificate, ...entry };
  }
}

function describe(recipient: RecipientIdentifier): string {
  if (recipient.kind === 'subjectKeyIdentifier') return `subject key identifier ${recipient.keyIdentifier.toString('hex')}`;
  return `serial number ${recipient.serialNumber.toString('hex').toUpperCase()}`;
}
