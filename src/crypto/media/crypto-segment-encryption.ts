import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { StreamJobPool } from '../../common/workers/stream-job-pool';
import { SegmentEncryption, SegmentParams, SegmentSession, UploadFileKey } from '../../screen-recordings/media-encryption';
import { ContactCenterCertificates } from '../certificates/contact-center-certificates';
import { NoActiveCertificateException } from '../crypto.exception';
import { CryptoService } from '../crypto.service';
import { MasterKeyRing, SealedSecret } from '../keys/master-key-ring';
import type { SegmentCipherEnd } from './segment-cipher';
import { SEGMENT_CIPHER_JOB_MODULE, SegmentCipherJobParams } from './segment-cipher-job';

/**
 * SegmentEncryption for tus uploads: file keys as for any media RWS writes (see CryptoMediaEncryption),
 * segments encrypted on a worker thread, and the state between segments sealed under the master
 * key (RWS_MASTER_KEY, the same on every node; with a remote crypto service this node still reads it for
 * this purpose alone).
 */
@Injectable()
export class CryptoSegmentEncryption extends SegmentEncryption {
  private readonly ring: MasterKeyRing;

  constructor(
    private readonly crypto: CryptoService,
    private readonly jobs: StreamJobPool,
    private readonly certificates: ContactCenterCertificates,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() ring?: MasterKeyRing,
  ) {
    super();
    this.ring = ring ?? MasterKeyRing.forNodeSecrets(config);
  }

  async newFileKey(ccid: string): Promise<UploadFileKey | undefined> {
    let wrapped = await this.crypto.wrapForContactCenter(ccid);
    if (!wrapped) {
      // As for every media file: in clear only when an operator turned encryption off.
      if (!this.certificates.encryptionOn) return undefined;
      if (await this.certificates.ensureActive(ccid)) wrapped = await this.crypto.wrapForContactCenter(ccid);
      if (!wrapped) throw new NoActiveCertificateException();
    }
    return { contentKey: wrapped.contentKey, iv: wrapped.iv, pkcs7: wrapped.pkcs7 };
  }

  segment(params: SegmentParams): SegmentSession {
    const cipherParams: SegmentCipherJobParams | undefined = params.cipher && { cipher: params.cipher, remaining: params.remaining };
    const cipher = cipherParams && this.jobs.transform<SegmentCipherEnd>(SEGMENT_CIPHER_JOB_MODULE, cipherParams);
    // The worker got its own copy of the key.
    params.cipher?.contentKey.fill(0);
    return {
      stream: cipher ?? new PassThrough({ highWaterMark: 1024 * 1024 }),
      cipherResult: () => cipher?.result(),
    };
  }

  seal(secret: Buffer, binding: string): string {
    return JSON.stringify(this.ring.seal(secret, binding));
  }

  open(sealed: string, binding: string): Buffer {
    return this.ring.open(JSON.parse(sealed) as SealedSecret, binding);
  }
}
