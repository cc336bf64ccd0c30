import { Injectable } from '@nestjs/common';
import { StreamJobPool } from '../../common/workers/stream-job-pool';
import { MediaEncryption, MediaEncryptionSession } from '../../screen-recordings/media-encryption';
import { ContactCenterCertificates } from '../certificates/contact-center-certificates';
import { NoActiveCertificateException } from '../crypto.exception';
import { CryptoService } from '../crypto.service';
import { MEDIA_CIPHER_JOB_MODULE, MediaCipherJobParams, MediaCipherJobResult } from './media-cipher-job';

/**
 * MediaEncryption for media RWS writes: a fresh key per file wrapped for the contact center's active
 * certificate (see ContactCenterCertificates for a contact center without one); the plaintext is hashed and encrypted in one pass on a worker thread (SHA-256 and AES-CBC are
 * CPU-bound and would otherwise hold the event loop for ~2.5 ms per MB), and `result()` gives the `pkcs7`,
 * the chunk tags and the plaintext's digest.
 */
@Injectable()
export class CryptoMediaEncryption extends MediaEncryption {
  constructor(
    private readonly crypto: CryptoService,
    private readonly jobs: StreamJobPool,
    private readonly certificates: ContactCenterCertificates,
  ) {
    super();
  }

  async begin(ccid: string): Promise<MediaEncryptionSession | undefined> {
    let wrapped = await this.crypto.wrapForContactCenter(ccid);
    if (!wrapped) {
      // In clear only when an operator turned encryption off; else a certificate is generated (embedded
      // default) or the upload waits for one (503) — never silently stored in clear.
      if (!this.certificates.encryptionOn) return undefined;
      if (await this.certificates.ensureActive(ccid)) wrapped = await this.crypto.wrapForContactCenter(ccid);
      if (!wrapped) throw new NoActiveCertificateException();
    }
    const params: MediaCipherJobParams = { contentKey: wrapped.contentKey, iv: wrapped.iv };
    const encryptor = this.jobs.transform<MediaCipherJobResult>(MEDIA_CIPHER_JOB_MODULE, params);
    // The worker got its own copy of the key; the caller's is not needed any more.
    wrapped.contentKey.fill(0);
    return {
      stream: encryptor,
      // AES-CBC with PKCS#7 padding: always 1 to 16 bytes of padding.
      ciphertextLength: (plaintextBytes) => (Math.floor(plaintextBytes / 16) + 1) * 16,
      result: () => {
        const { integrity, plaintext } = encryptor.result();
        return { pkcs7: wrapped.pkcs7, integrity: { ...integrity }, plaintext };
      },
    };
  }
}
