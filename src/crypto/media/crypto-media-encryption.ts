import { Injectable } from '@nestjs/common';
import { StreamJobPool } from '../../common/workers/stream-job-pool';
import { MediaEncryption, MediaEncryptionSession } from '../../screen-recordings/media-encryption';
import { CryptoService } from '../crypto.service';
import { MEDIA_CIPHER_JOB_MODULE, MediaCipherJobParams, MediaCipherJobResult } from './media-cipher-job';

/**
 * MediaEncryption for media RWS writes: a fresh key per file wrapped for the contact center's active
 * certificate; the plaintext is hashed and encrypted in one pass on a worker thread (SHA-256 and AES-CBC are
 * CPU-bound and would otherwise hold the event loop for ~2.5 ms per MB), and `result()` gives the `pkcs7`,
 * the chunk tags and the plaintext's digest.
 */
@Injectable()
export class CryptoMediaEncryption extends MediaEncryption {
  constructor(
    private readonly crypto: CryptoService,
    private readonly jobs: StreamJobPool,
  ) {
    super();
  }

  async begin(ccid: string): Promise<MediaEncryptionSession | undefined> {
    const wrapped = await this.crypto.wrapForContactCenter(ccid);
    if (!wrapped) return undefined;
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
