import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ClusterEvents } from '../../cluster/cluster-events';
import { NodeSecret } from '../node-secret';
import { KeySealer } from './key-sealer';
import { JWT_ALGORITHM } from './jwt';
import { SigningKeyStore, StoredSigningKey } from './signing-key.store';

/** How often a node re-reads the key table: the fallback when a `signing-keys-changed` broadcast was lost. */
const RELOAD_INTERVAL_MS = 30_000;
/** Unknown kids trigger re-reads at most this often (a flood of made-up kids cannot hammer the store). */
const UNKNOWN_KID_RELOAD_MS = 250;
/** Clock slack added to a key's verification lifetime. */
const SLACK_MS = 5 * 60_000;

/** A key as the ring holds it. */
interface RingKey {
  kid: string;
  createdAt: number;
  retiredAt?: number;
  publicKey: KeyObject;
  /** Absent when this node cannot open the sealed private key (another node's secret): verify only. */
  privateKey?: KeyObject;
}

/** A key's state as the ops API reports it. */
export interface SigningKeyView {
  kid: string;
  algorithm: string;
  createdAt: string;
  retiredAt?: string;
  /** `signing`: this node signs new tokens with it; `verifying`: still accepted; `expired`/`retired`: refused. */
  status: 'signing' | 'verifying' | 'expired' | 'retired';
}

/**
 * The token signing keys of the node (Ed25519, `kid` in every token header).
 *
 * Rotation without logging anyone out: a key signs for `signingKeyRotationSeconds`, then a new key takes
 * over; the old one keeps verifying for the longest token lifetime after that, then expires by itself.
 * A new key or a retirement is broadcast (ClusterEvents): every node re-reads the key table at once, so a
 * rotation signs new tokens on every node and a retired key's tokens are refused everywhere, not only after the
 * next periodic reload (still the fallback, with the resync after a Redis outage).
 */
@Injectable()
export class SigningKeyRing implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private readonly sealer: KeySealer;
  private keys = new Map<string, RingKey>();
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  /** Reloads are numbered as they start; lastCompleted is the number of the latest one that finished. */
  private reloadsStarted = 0;
  private lastCompleted = 0;
  private lastStartAt = 0;
  private creating: Promise<RingKey> | undefined;
  private readonly rotationMs: number;
  private readonly maxTokenLifetimeMs: number;

  constructor(
    private readonly store: SigningKeyStore,
    secret: NodeSecret,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: ClusterEvents,
  ) {
    this.sealer = new KeySealer(secret.derive('signing-key-seal'));
    this.rotationMs = config.auth.signingKeyRotationSeconds * 1000;
    this.maxTokenLifetimeMs = Math.max(config.auth.accessTokenTtlSeconds, config.auth.sessionTtlSeconds) * 1000;
    events.subscribe('signing-keys-changed', () => this.reloadNow('signing key change'));
    events.onResync(() => this.reloadNow('resync'));
  }

  async onModuleInit(): Promise<void> {
    this.timer = setInterval(() => void this.reload().catch((err: Error) => this.logger.warn({ msg: 'signing key reload failed', error: err.message })), RELOAD_INTERVAL_MS);
    this.timer.unref();
    // The store may not be reachable yet (Cassandra starting): keys then load on first use.
    await this.reload().catch((err: Error) => this.logger.warn({ msg: 'signing keys not loaded yet', error: err.message }));
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The key new tokens are signed with: the newest one this node can sign with, created when none is fresh. */
  async signingKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    if (this.lastCompleted === 0) await this.reload();
    const key = this.freshestSigner() ?? (await this.createKey());
    return { kid: key.kid, privateKey: key.privateKey! };
  }

  /**
   * The public key for a kid when its tokens are still accepted. An unknown kid may be a key another node
   * created a moment ago, so the request waits for a reload that started after it arrived (shared with
   * concurrent requests, at most one per UNKNOWN_KID_RELOAD_MS) before giving up.
   */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    let key = this.keys.get(kid);
    if (!key) {
      await this.reloadStartedAfterNow();
      key = this.keys.get(kid);
    }
    return key && this.accepts(key, Date.now()) ? key.publicKey : undefined;
  }

  /** Synchronous check for tokens verified earlier (cache hits): is the kid still accepted? */
  stillAccepts(kid: string): boolean {
    const key = this.keys.get(kid);
    return key !== undefined && this.accepts(key, Date.now());
  }

  /** Starts a new signing key now (ops). Older keys keep verifying. */
  async rotate(): Promise<SigningKeyView> {
    const key = await this.createKey(true);
    return this.view(key, Date.now());
  }

  /** Refuses every token signed with `kid` from now on; false when the kid is unknown. */
  async retire(kid: string): Promise<boolean> {
    const found = await this.store.retire(kid, new Date().toISOString());
    await this.reload();
    if (found) this.events.publish('signing-keys-changed', { kid });
    return found;
  }

  async list(): Promise<SigningKeyView[]> {
    await this.reload();
    const now = Date.now();
    return [...this.keys.values()].sort((a, b) => b.createdAt - a.createdAt).map((k) => this.view(k, now));
  }

  private accepts(key: RingKey, now: number): boolean {
    if (key.retiredAt !== undefined) return false;
    return this.rotationMs === 0 || now < key.createdAt + this.rotationMs + this.maxTokenLifetimeMs + SLACK_MS;
  }

  private freshestSigner(): RingKey | undefined {
    const now = Date.now();
    let best: RingKey | undefined;
    for (const key of this.keys.values()) {
      if (!key.privateKey || key.retiredAt !== undefined) continue;
      if (this.rotationMs > 0 && now >= key.createdAt + this.rotationMs) continue;
      if (!best || key.createdAt > best.createdAt) best = key;
    }
    return best;
  }

  private view(key: RingKey, now: number): SigningKeyView {
    const status = key.retiredAt !== undefined ? 'retired' : !this.accepts(key, now) ? 'expired' : this.freshestSigner()?.kid === key.kid ? 'signing' : 'verifying';
    return {
      kid: key.kid,
      algorithm: JWT_ALGORITHM,
      createdAt: new Date(key.createdAt).toISOString(),
      retiredAt: key.retiredAt === undefined ? undefined : new Date(key.retiredAt).toISOString(),
      status,
    };
  }

  private async reloadStartedAfterNow(): Promise<void> {
    const mark = this.reloadsStarted;
    for (let attempt = 0; attempt < 3 && this.lastCompleted <= mark; attempt++) {
      if (this.reloading) {
        // A reload already running may have started before this request: wait for it, then check again.
        await this.reloading.catch(() => undefined);
        continue;
      }
      const wait = this.lastStartAt + UNKNOWN_KID_RELOAD_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.lastCompleted > mark) return;
      await (this.reloading ?? this.reload()).catch(() => undefined);
    }
  }

  /** A re-read another node asked for; one already running may have read the table before the change, so chain. */
  private reloadNow(reason: string): void {
    const running = this.reloading ?? Promise.resolve();
    void running
      .catch(() => undefined)
      .then(() => this.reload())
      .catch((err: Error) => this.logger.warn({ msg: 'signing key reload failed', reason, error: err.message }));
  }

  private reload(): Promise<void> {
    if (this.reloading) return this.reloading;
    const number = ++this.reloadsStarted;
    this.lastStartAt = Date.now();
    this.reloading = this.store
      .list()
      .then((stored) => {
        const next = new Map<string, RingKey>();
        // Keys are never deleted, so a local key missing from the listing was created while it ran: keep it.
        for (const [kid, key] of this.keys) if (!stored.some((s) => s.kid === kid)) next.set(kid, key);
        for (const s of stored) {
          const known = this.keys.get(s.kid);
          const key = known ? { ...known } : this.open(s);
          if (!key) continue;
          key.retiredAt = s.retiredAt ? Date.parse(s.retiredAt) : undefined;
          next.set(s.kid, key);
        }
        this.keys = next;
        this.lastCompleted = Math.max(this.lastCompleted, number);
      })
      .finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private open(stored: StoredSigningKey): RingKey | undefined {
    if (stored.algorithm !== JWT_ALGORITHM) return undefined;
    try {
      const sealed = this.sealer.open(stored.sealedPrivateKey, stored.kid);
      return {
        kid: stored.kid,
        createdAt: Date.parse(stored.createdAt),
        publicKey: createPublicKey(stored.publicKey),
        privateKey: sealed ? createPrivateKey({ key: sealed, format: 'der', type: 'pkcs8' }) : undefined,
      };
    } catch (err) {
      this.logger.warn({ msg: 'unreadable signing key ignored', kid: stored.kid, error: (err as Error).message });
      return undefined;
    }
  }

  private createKey(force = false): Promise<RingKey> {
    // Concurrent first requests share one new key instead of each minting their own.
    if (this.creating && !force) return this.creating;
    const creating = (async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const kid = randomUUID();
      const createdAt = new Date().toISOString();
      const stored: StoredSigningKey = {
        kid,
        algorithm: JWT_ALGORITHM,
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        sealedPrivateKey: this.sealer.seal(privateKey.export({ type: 'pkcs8', format: 'der' }), kid),
        createdAt,
      };
      await this.store.create(stored);
      const key: RingKey = { kid, createdAt: Date.parse(createdAt), publicKey, privateKey };
      this.keys.set(kid, key);
      this.logger.log({ msg: 'new token signing key', kid });
      this.events.publish('signing-keys-changed', { kid });
      return key;
    })().finally(() => {
      if (this.creating === creating) this.creating = undefined;
    });
    this.creating = creating;
    return creating;
  }
}
