import { Injectable } from '@nestjs/common';
import { StreamJobPool } from '../../common/workers/stream-job-pool';
import { MediaEncryption, MediaEncryptionSession } from '../../screen-recordings/media-encryption';
import { CryptoService } from '../crypto.service';
import type { MediaIntegrity } from './chunk-integrity';
import { MEDIA_CIPHER_JOB_MODULE, MediaCipherJobParams } from './media-cipher-job';

/**
 * MediaEncryption for media RWS writes: a fresh key per file wrapped for the contact center's active
 * certificate; the ciphertext streams through a worker thread (MediaCipher: AES-CBC is CPU-bound and would
 * otherwise hold the event loop for ~2 ms per MB), and `result()` gives the `pkcs7` and the chunk tags.
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
    const encryptor = this.jobs.transform<MediaIntegrity>(MEDIA_CIPHER_JOB_MODULE, params);
    // The worker got its own copy of the key; the caller's is not needed any more.
    wrapped.contentKey.fill(0);
    return {
      stream: encryptor,
      result: () => ({ pkcs7: wrapped.pkcs7, integrity: { ...encryptor.result() } }),
    };
  }
}
