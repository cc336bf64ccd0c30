import { Injectable } from '@nestjs/common';
import { MediaEncryption, MediaEncryptionSession } from '../../screen-recordings/media-encryption';
import { CryptoService } from '../crypto.service';
import { MediaEncryptor } from './media-encryptor';

/**
 * MediaEncryption for media RWS writes: a fresh key per file wrapped for the contact center's active
 * certificate; the ciphertext streams through, and `result()` gives the `pkcs7` and the chunk tags.
 */
@Injectable()
export class CryptoMediaEncryption extends MediaEncryption {
  constructor(private readonly crypto: CryptoService) {
    super();
  }

  async begin(ccid: string): Promise<MediaEncryptionSession | undefined> {
    const wrapped = await this.crypto.wrapForContactCenter(ccid);
    if (!wrapped) return undefined;
    const encryptor = new MediaEncryptor(wrapped);
    // The encryptor keeps its own cipher state; the caller's copy of the key is not needed any more.
    encryptor.once('close', () => wrapped.contentKey.fill(0));
    return {
      stream: encryptor,
      result: () => ({ pkcs7: wrapped.pkcs7, integrity: { ...encryptor.integrity() } }),
    };
  }
}
