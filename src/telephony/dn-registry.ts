import { Logger } from '@nestjs/common';
import type { TlibRequester } from './link/tlib-request';

/** Registration state of one DN with SIP Server. */
export type DnRegistrationState = 'unregistered' | 'registering' | 'registered' | 'unregistering' | 'refused';

/** A DN RWS must have registered, and how that stands. */
export interface DnStatus {
  dn: string;
  state: DnRegistrationState;
  holders: string[];
  error?: string;
}

/** What the registry tells the call state. */
export interface DnRegistryHooks {
  /** RWS no longer monitors the DN (last holder released it, or the server refused it): forget its calls. */
  lost(dn: string): void;
}

interface Entry {
  dn: string;
  holders: Set<string>;
  state: DnRegistrationState;
  error?: string;
  busy: boolean;
  dirty: boolean;
  /** An unregister went unanswered: the server may still hold the DN, so it is released again until it answers. */
  unconfirmedRelease?: boolean;
  waiters: (() => void)[];
  retryTimer?: NodeJS.Timeout;
}

const RETRY_AFTER_TIMEOUT_MS = 1000;
const QUERY_BATCH = 200;

/**
 * The DNs RWS must have registered with SIP Server, reference-counted per holder (an agent session). The
 * first holder registers the DN (RequestRegisterAddress, ModeShare), the last one unregisters it. After the
 * link comes back every held DN is registered again; each EventRegistered carries the DN's calls, from which
 * the call state rebuilds itself. One request per DN at a time; changes made meanwhile are applied after.
 */
export class DnRegistry {
  private readonly logger = new Logger('DnRegistry');
  private readonly entries = new Map<string, Entry>();
  private querying: Promise<void> | undefined;
  private queryAgain = false;
  private stopped = false;

  constructor(
    private readonly link: TlibRequester,
    private readonly hooks: DnRegistryHooks,
  ) {}

  /** `holder` needs `dn` registered; resolves once the attempt settled (registered, refused, or link down). */
  async acquire(dn: string, holder: string): Promise<DnStatus> {
    let entry = this.entries.get(dn);
    if (!entry) {
      entry = { dn, holders: new Set(), state: 'unregistered', busy: false, dirty: false, waiters: [] };
      this.entries.set(dn, entry);
    }
    entry.holders.add(holder);
    if (entry.state === 'refused') entry.state = 'unregistered';
    await this.sync(entry);
    return this.status(dn) ?? { dn, state: 'unregistered', holders: [] };
  }

  /** `holder` no longer needs `dn`; the last holder's release unregisters it. */
  async release(dn: string, holder: string): Promise<void> {
    const entry = this.entries.get(dn);
    if (!entry || !entry.holders.delete(holder)) return;
    if (entry.holders.size === 0) this.hooks.lost(dn);
    await this.sync(entry);
  }

  isMonitored(dn: string): boolean {
    return (this.entries.get(dn)?.holders.size ?? 0) > 0;
  }

  holdersOf(dn: string): string[] {
    const holders = this.entries.get(dn)?.holders;
    return holders ? [...holders] : [];
  }

  status(dn: string): DnStatus | undefined {
    const e = this.entries.get(dn);
    return e ? { dn, state: e.state, holders: [...e.holders], ...(e.error ? { error: e.error } : {}) } : undefined;
  }

  list(): DnStatus[] {
    return [...this.entries.keys()].map((dn) => this.status(dn) as DnStatus);
  }

  /** A new link session: the server knows none of our registrations. */
  linkUp(): void {
    for (const entry of this.entries.values()) {
      entry.state = 'unregistered';
      void this.sync(entry);
    }
  }

  /** The link is down: every registration is gone with it. */
  linkDown(): void {
    for (const entry of this.entries.values()) {
      if (entry.state !== 'refused') entry.state = 'unregistered';
      // The server drops a link's registrations with the link.
      entry.unconfirmedRelease = false;
    }
  }

  /** Asks the server for every registered DN's calls (after a gap); the answers rebuild the call state. */
  queryAll(): Promise<void> {
    if (this.querying) {
      this.queryAgain = true;
      return this.querying;
    }
    this.querying = (async () => {
      do {
        this.queryAgain = false;
        const dns = [...this.entries.values()].filter((e) => e.state === 'registered').map((e) => e.dn);
        for (let i = 0; i < dns.length && this.link.isUp; i += QUERY_BATCH) {
          const results = await Promise.all(dns.slice(i, i + QUERY_BATCH).map((dn) => this.link.request({ message: 'RequestQueryAddress', ThisDN: dn })));
          const failed = results.filter((r) => r.kind !== 'ack').length;
          if (failed > 0) this.logger.warn({ msg: 'some DN queries failed', failed });
        }
      } while (this.queryAgain && this.link.isUp);
    })().finally(() => {
      this.querying = undefined;
    });
    return this.querying;
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) if (entry.retryTimer) clearTimeout(entry.retryTimer);
  }

  /** Brings one DN's registration to what its holders need; serialised per DN. */
  private async sync(entry: Entry): Promise<void> {
    if (entry.busy) {
      entry.dirty = true;
      await new Promise<void>((resolve) => entry.waiters.push(resolve));
      return;
    }
    entry.busy = true;
    try {
      do {
        entry.dirty = false;
        await this.step(entry);
      } while (entry.dirty && !this.stopped);
    } finally {
      entry.busy = false;
      const waiters = entry.waiters;
      entry.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async step(entry: Entry): Promise<void> {
    const wanted = entry.holders.size > 0;
    if (wanted && entry.state !== 'registered' && entry.state !== 'refused') {
      if (!this.link.isUp) {
        entry.state = 'unregistered';
        return;
      }
      entry.state = 'registering';
      const result = await this.link.request({ message: 'RequestRegisterAddress', ThisDN: entry.dn, RegisterMode: 'ModeShare', AddressType: 'DN' });
      if (result.kind === 'ack') {
        entry.state = 'registered';
        entry.error = undefined;
        entry.unconfirmedRelease = false;
      } else if (result.kind === 'error') {
        entry.state = 'refused';
        entry.error = `${result.errorMessage} (ErrorCode ${result.errorCode})`;
        this.logger.warn({ msg: 'SIP Server refused to register DN', dn: entry.dn, error: entry.error });
        this.hooks.lost(entry.dn);
      } else {
        entry.state = 'unregistered';
        if (result.kind === 'timeout') this.retryLater(entry);
      }
      return;
    }
    if (!wanted) {
      if ((entry.state === 'registered' || entry.unconfirmedRelease) && this.link.isUp) {
        entry.state = 'unregistering';
        const result = await this.link.request({ message: 'RequestUnregisterAddress', ThisDN: entry.dn });
        entry.unconfirmedRelease = result.kind === 'timeout';
        if (entry.unconfirmedRelease && entry.holders.size === 0) {
          // Forgetting it now would leave the DN registered at the server, its events still flowing.
          entry.state = 'unregistered';
          this.retryLater(entry);
          return;
        }
      }
      if (entry.holders.size === 0) {
        if (entry.retryTimer) clearTimeout(entry.retryTimer);
        this.entries.delete(entry.dn);
      } else {
        entry.state = 'unregistered';
        entry.dirty = true;
      }
    }
  }

  private retryLater(entry: Entry): void {
    if (entry.retryTimer || this.stopped) return;
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      if (this.entries.get(entry.dn) === entry && (entry.holders.size > 0 || entry.unconfirmedRelease)) void this.sync(entry);
    }, RETRY_AFTER_TIMEOUT_MS);
  }
}
