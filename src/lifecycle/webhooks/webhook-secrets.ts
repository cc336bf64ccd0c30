import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { MasterKeyRing, SealedSecret } from '../../crypto/keys/master-key-ring';
import type { WebhookSubscription } from './webhook';
import { WebhookStore } from './webhook.store';

const SEALED = 'sealed:';

/**
 * Webhook signing secrets at rest: sealed with the master key (AES-256-GCM, bound to the contact center and
 * subscription), like the crypto service's private keys. The master key is RWS_MASTER_KEY (give every node
 * of a cluster the same one), or the one generated into the data directory. At startup, rows written
 * before secrets were sealed (`whsec_…` as given) and rows sealed under an old master key are sealed again
 * under the current one; both stores, safe to repeat and to run on several nodes at once.
 */
@Injectable()
export class WebhookSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');
  private readonly ring: MasterKeyRing;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: WebhookStore,
  ) {
    this.ring = MasterKeyRing.forNodeSecrets(config);
  }

  /** The subscription as stored: its secret sealed. */
  sealed(subscription: WebhookSubscription): WebhookSubscription {
    const sealed = this.ring.seal(Buffer.from(subscription.secret, 'utf8'), bindingOf(subscription));
    return { ...subscription, secret: `${SEALED}${Buffer.from(JSON.stringify(sealed)).toString('base64url')}` };
  }

  /** The plaintext `whsec_…` of a stored subscription (throws when this node lacks its master key, or it was altered). */
  secretOf(subscription: WebhookSubscription): string {
    if (!subscription.secret.startsWith(SEALED)) return subscription.secret;
    return this.ring.open(parse(subscription.secret), bindingOf(subscription)).toString('utf8');
  }

  async onApplicationBootstrap(): Promise<void> {
    let resealed = 0;
    let unopenable = 0;
    try {
      for (const s of await this.store.listAllSubscriptions()) {
        if (s.secret.startsWith(SEALED) && this.ring.isCurrent(parse(s.secret))) continue;
        let secret: string;
        try {
          secret = this.secretOf(s);
        } catch {
          unopenable++; // sealed under a master key this node was not given: left as it is
          continue;
        }
        await this.store.putSubscription(this.sealed({ ...s, secret }));
        resealed++;
      }
    } catch (err) {
      // Not fatal: a secret left as it was still signs; the next start tries again.
      this.logger.error({ msg: 'webhook secrets not sealed', error: (err as Error).message });
    }
    if (resealed) this.logger.log({ msg: 'webhook secrets sealed under the current master key', count: resealed });
    if (unopenable) this.logger.warn({ msg: 'webhook secrets sealed under a master key this node was not given (set the same RWS_MASTER_KEY on every node)', count: unopenable });
  }
}

function bindingOf(s: WebhookSubscription): string {
  return `webhook:${s.ccid}:${s.id}`;
}

function parse(text: string): SealedSecret {
  return JSON.parse(Buffer.from(text.slice(SEALED.length), 'base64url').toString('utf8')) as SealedSecret;
}
