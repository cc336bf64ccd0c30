import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import type { Principal } from '../../identity/principal';
import { DecryptNotPermittedException, MediaKeyUnavailableException } from '../crypto.exception';
import { CryptoService, FileKey, UnwrapContext, WrappedFileKey } from '../crypto.service';
import { FileKeyWrapper } from '../in-process-crypto.service';
import { UNWRAP_PATH, UnwrapRequest, UnwrapResponse } from './unwrap-protocol';

const TIMEOUT_MS = 10_000;

/**
 * The crypto service in its own process (RWS_CRYPTO_URL): this node wraps new file keys itself (public
 * certificates only) and asks the crypto service, with its service credential, to unwrap; it holds no
 * private key and no master key. The crypto service authorises and audits each unwrap.
 */
@Injectable()
export class RemoteCryptoService extends CryptoService {
  private readonly logger = new Logger('Crypto');
  private readonly base: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wrapper: FileKeyWrapper,
  ) {
    super();
    this.base = config.cryptoUrl!.replace(/\/?$/, '/');
  }

  wrapForContactCenter(ccid: string): Promise<WrappedFileKey | undefined> {
    return this.wrapper.wrapForContactCenter(ccid);
  }

  async unwrapFileKey(principal: Principal, ccid: string, pkcs7: string, context: UnwrapContext = {}): Promise<FileKey> {
    const body: UnwrapRequest = {
      ccid,
      pkcs7,
      principal: { kind: principal.kind, userName: principal.userName, ccid: principal.ccid, permissions: principal.permissions },
      context,
    };
    let response: Response;
    try {
      response = await fetch(new URL(UNWRAP_PATH, this.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.cryptoServiceToken}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new DependencyUnavailableException('crypto service', err);
    }
    const answer = (await response.json().catch(() => undefined)) as (Partial<UnwrapResponse> & { statusMessage?: string }) | undefined;
    if (response.ok && answer?.statusCode === 0 && answer.contentKey && answer.iv && answer.certificateId) {
      return { contentKey: Buffer.from(answer.contentKey, 'base64'), iv: Buffer.from(answer.iv, 'base64'), certificateId: answer.certificateId };
    }
    if (response.status === 403) throw new DecryptNotPermittedException();
    if (response.status === 409 && answer?.statusMessage) throw new MediaKeyUnavailableException(answer.statusMessage);
    this.logger.error({ msg: 'the crypto service refused an unwrap', status: response.status, statusMessage: answer?.statusMessage });
    throw new DependencyUnavailableException(response.status === 401 ? 'crypto service (service credential refused)' : 'crypto service');
  }

  /** Readiness: the crypto service answers its liveness probe. */
  async ping(): Promise<void> {
    const response = await fetch(new URL('health/live', this.base), { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`crypto service answered ${response.status}`);
  }
}
