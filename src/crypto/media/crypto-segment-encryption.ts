import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { StreamJobPool } from '../../common/workers/stream-job-pool';
import { SegmentEncryption, SegmentParams, SegmentResult, SegmentSession, UploadFileKey } from '../../screen-recordings/media-encryption';
import { ContactCenterCertificates } from '../certificates/contact-center-certificates';
import { NoActiveCertificateException } from '../crypto.exception';
import { CryptoService } from '../crypto.service';
import { MasterKeyRing, SealedSecret } from '../keys/master-key-ring';
import type { SegmentCipherEnd } from './segment-cipher';
import { SEGMENT_CIPHER_JOB_MODULE, SegmentCipherJobParams } from './segment-cipher-job';
import { SEGMENT_HASH_JOB_MODULE, SegmentHashParams, SegmentHashResult } from './segment-hash-job';

/**
 * SegmentEncryption for tus uploads: file keys as for any media RWS writes (see CryptoMediaEncryption),
 * segments hashed and encrypted on two worker threads side by side (hash-wasm's SHA-256 is the slower half), and the state between segments sealed under the master
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
    const hashParams: SegmentHashParams = { hashState: params.hashState, remaining: params.remaining };
    const hash = this.jobs.transform<SegmentHashResult>(SEGMENT_HASH_JOB_MODULE, hashParams);
    const cipherParams: SegmentCipherJobParams | undefined = params.cipher && { cipher: params.cipher, remaining: params.remaining };
    const cipher = cipherParams && this.jobs.transform<SegmentCipherEnd>(SEGMENT_CIPHER_JOB_MODULE, cipherParams);
    // The worker got its own copy of the key.
    params.cipher?.contentKey.fill(0);
    // The hash only looks at the bytes (it passes nothing on): its readable side is drained as it goes.
    hash.resume();
    return {
      stream: cipher ?? new PassThrough({ highWaterMark: 1024 * 1024 }),
      hash,
      result: (): SegmentResult => {
        const hashed = hash.result();
        return { plaintextBytes: hashed.plaintextBytes, hashState: hashed.hashState, sha256: hashed.sha256, cipher: cipher?.result() };
      },
    };
  }

  seal(secret: Buffer, binding: string): string {
    return JSON.stringify(this.ring.seal(secret, binding));
  }

  open(sealed: string, binding: string): Buffer {
    return this.ring.open(JSON.parse(sealed) as SealedSecret, binding);
  }
}
