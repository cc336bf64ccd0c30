import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ClusterEvents } from '../../cluster/cluster-events';
import { OpsAccount } from '../ops-account';
import { userKey } from '../users/user';
import { UserStore } from '../users/user.store';
import { Account, accountOfUser } from './account';

const MAX_ENTRIES = 50_000;

interface CachedAccount {
  account: Account | undefined;
  fetchedAt: number;
}

/**
 * Finds the account behind a user name: the ops account, or a user of any contact center (user names
 * are unique node-wide). Tokens and cached credentials are checked against a copy at most
 * `userCacheSeconds` old; a change (role, deletion, password, settings) made through any node of a cluster is
 * broadcast and applies on every node at once (invalidate), and within `userCacheSeconds` if the broadcast is
 * lost. Password checks read fresh.
 */
@Injectable()
export class AccountDirectory {
  private readonly cache = new Map<string, CachedAccount>();
  private readonly inFlight = new Map<string, Promise<Account | undefined>>();
  private readonly ttlMs: number;
  private readonly changeListeners: ((userName: string) => void)[] = [];

  constructor(
    private readonly users: UserStore,
    private readonly ops: OpsAccount,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: ClusterEvents,
  ) {
    this.ttlMs = config.auth.userCacheSeconds * 1000;
    events.subscribe('account-changed', ({ userName }) => this.forget(userName));
    events.onResync(() => {
      this.cache.clear();
      this.inFlight.clear();
    });
  }

  /** The account as recently known (≤ userCacheSeconds old). */
  async current(userName: string): Promise<Account | undefined> {
    const key = userKey(userName);
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.fetchedAt < this.ttlMs) return cached.account;
    return this.fresh(userName);
  }

  /** The account as the store has it now. */
  fresh(userName: string): Promise<Account | undefined> {
    const key = userKey(userName);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const lookup: Promise<Account | undefined> = this.load(userName)
      .then((account) => {
        // An invalidate() during the read makes this result stale: hand it out, but do not cache it.
        if (this.inFlight.get(key) !== lookup) return account;
        this.cache.delete(key);
        this.cache.set(key, { account, fetchedAt: Date.now() });
        if (this.cache.size > MAX_ENTRIES) {
          const oldest = this.cache.keys().next().value;
          if (oldest !== undefined) this.cache.delete(oldest);
        }
        return account;
      })
      .finally(() => {
        if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
      });
    this.inFlight.set(key, lookup);
    return lookup;
  }

  /** Forgets the cached copy on every node after a change made on this one; each node tells its listeners. */
  invalidate(userName: string): void {
    this.events.publish('account-changed', { userName });
  }

  private forget(userName: string): void {
    this.cache.delete(userKey(userName));
    this.inFlight.delete(userKey(userName));
    for (const listener of this.changeListeners) listener(userName);
  }

  /** `listener` hears of every user changed on any node (after the store has the change). */
  onChange(listener: (userName: string) => void): void {
    this.changeListeners.push(listener);
  }

  private async load(userName: string): Promise<Account | undefined> {
    if (this.ops.isOpsName(userName)) return this.ops.asAccount();
    const user = await this.users.findByName(userName);
    return user ? accountOfUser(user) : undefined;
  }
}
