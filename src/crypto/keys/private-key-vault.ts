import { Injectable, Logger } from '@nestjs/common';
import { createPrivateKey, KeyObject } from 'node:crypto';
import { BoundedCache } from '../bounded-cache';
import { Certificate, privateKeyBinding } from '../certificates/certificate';
import { CertificateStore } from '../certificates/certificate.store';
import { MediaKeyUnavailableException } from '../crypto.exception';
import { MasterKeyRing, MasterKeyUnavailableError, SealedSecret } from './master-key-ring';

/** Outcome of re-wrapping every private key under the current master key. */
export interface RewrapReport {
  rewrapped: number;
  alreadyCurrent: number;
  /** Sealed under a master key this node does not have: left as they are. */
  unavailable: number;
  /** Changed concurrently (deleted, or re-wrapped by another node): left to that change. */
  skipped: number;
}

/**
 * The crypto service's private keys: sealed under the master key in the certificate store, opened on
 * demand and kept as non-extractable KeyObjects in a small cache. Exists only where the crypto service
 * runs (in-process default, or its own process); an API node using a remote crypto service has none.
 */
@Injectable()
export class PrivateKeyVault {
  private readonly logger = new Logger('Crypto');
  private readonly opened = new BoundedCache<string, KeyObject>(64);

  constructor(
    private readonly ring: MasterKeyRing,
    private readonly store: CertificateStore,
  ) {}

  /** Seals a private key for storage with `certificate`. */
  seal(certificate: Pick<Certificate, 'ccid' | 'id'>, privateKey: KeyObject): SealedSecret {
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    try {
      return this.ring.seal(der, privateKeyBinding(certificate));
    } finally {
      der.fill(0);
    }
  }

  /** The certificate's private key, or a clear error when RWS does not hold it. */
  privateKeyOf(certificate: Certificate): KeyObject {
    if (!certificate.privateKey) {
      throw new MediaKeyUnavailableException(`RWS does not hold the private key of certificate [${certificate.id}] (it was uploaded without one).`);
    }
    // The record comes from the certificate directory for every unwrap (at most a few seconds old), so a key
    // deleted on another node stops working here too.
    const cacheKey = `${certificate.ccid}/${certificate.id}`;
    const cached = this.opened.get(cacheKey);
    if (cached) return cached;
    let der: Buffer;
    try {
      der = this.ring.open(certificate.privateKey, privateKeyBinding(certificate));
    } catch (err) {
      this.logger.error({ msg: 'a sealed private key cannot be opened', ccid: certificate.ccid, certificateId: certificate.id, error: (err as Error).message });
      const why = err instanceof MasterKeyUnavailableError ? 'is sealed under a master key this node was not given' : 'fails authentication';
      throw new MediaKeyUnavailableException(`The private key of certificate [${certificate.id}] ${why}.`);
    }
    try {
      const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      this.opened.set(cacheKey, key);
      return key;
    } finally {
      der.fill(0);
    }
  }

  /** Drops a cached key (certificate deleted). */
  forget(certificate: Pick<Certificate, 'ccid' | 'id'>): void {
    this.opened.delete(`${certificate.ccid}/${certificate.id}`);
  }

  /** Re-seals every private key that is not under the current master key; safe to run while serving and to repeat. */
  async rewrapAll(): Promise<RewrapReport> {
    const report: RewrapReport = { rewrapped: 0, alreadyCurrent: 0, unavailable: 0, skipped: 0 };
    for (const certificate of await this.store.listAll()) {
      const sealed = certificate.privateKey;
      if (!sealed) continue;
      if (this.ring.isCurrent(sealed)) {
        report.alreadyCurrent++;
        continue;
      }
      let der: Buffer;
      try {
        der = this.ring.open(sealed, privateKeyBinding(certificate));
      } catch {
        report.unavailable++;
        continue;
      }
      const next = this.ring.seal(der, privateKeyBinding(certificate));
      der.fill(0);
      if (await this.store.replacePrivateKey(certificate.ccid, certificate.id, sealed, next)) report.rewrapped++;
      else report.skipped++;
    }
    this.logger.log({ msg: 'private keys re-wrapped under the current master key', masterKeyId: this.ring.currentKeyId, ...report });
    return report;
  }
}
