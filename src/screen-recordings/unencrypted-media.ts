import { Injectable } from '@nestjs/common';
import { MediaEncryption, MediaEncryptionSession } from './media-encryption';

/** MediaEncryption for a node without the crypto module: media is stored as uploaded. */
@Injectable()
export class UnencryptedMedia extends MediaEncryption {
  async begin(): Promise<MediaEncryptionSession | undefined> {
    return undefined;
  }
}
