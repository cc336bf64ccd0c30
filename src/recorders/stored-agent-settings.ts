import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { AccountDirectory } from '../identity/authentication/account-directory';
import { userKey } from '../identity/users/user';
import { AgentSettingsPort, RecordingWhen } from './agent-settings.port';
import type { AgentRef } from './recording-signals';

const MAX_ENTRIES = 50_000;
/** Floor of the cache period, so a zero user cache does not turn every signal into a store read. */
const MIN_TTL_MS = 1000;
/**
 * How long a signal waits for the store. Signals are applied in order behind such a read, so a slow store
 * must not hold a PCI pause for long: past this the last known value (or the default) is used and the read
 * still updates the value when it completes.
 */
const READ_BUDGET_MS = 500;

interface Known {
  value: RecordingWhen;
  readAt: number;
}

/**
 * AgentSettingsPort read from the user store (through the identity directory, fresh reads): the value is
 * trusted for `userCacheSeconds` (at least 1 s), then read again at the next signal; a change made through
 * the ops user API on this node is applied at once (AccountDirectory.onChange). Known from the store, so an
 * agent switched `off` is known after a restart before its recorder ever connects.
 */
@Injectable()
export class StoredAgentSettings extends AgentSettingsPort {
  private readonly logger = new Logger('AgentSettings');
  private readonly known = new Map<string, Known>();
  private readonly ttlMs: number;

  constructor(
    private readonly directory: AccountDirectory,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.ttlMs = Math.max(MIN_TTL_MS, config.auth.userCacheSeconds * 1000);
  }

  recordingWhen(agent: AgentRef): RecordingWhen {
    return this.known.get(userKey(agent.userName))?.value ?? 'voice';
  }

  isFresh(agent: AgentRef): boolean {
    const known = this.known.get(userKey(agent.userName));
    return known !== undefined && Date.now() - known.readAt < this.ttlMs;
  }

  async refresh(agent: AgentRef): Promise<void> {
    const read = this.read(agent);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn({ msg: 'recordingWhen read is slow, last known value used meanwhile', userName: agent.userName });
        resolve();
      }, READ_BUDGET_MS);
    });
    await Promise.race([read, budget]);
    clearTimeout(timer);
  }

  private async read(agent: AgentRef): Promise<void> {
    const key = userKey(agent.userName);
    try {
      const account = await this.directory.fresh(agent.userName);
      // An account of another contact center under that name is not this agent: the default applies.
      const value = account && (agent.ccid === undefined || account.ccid === agent.ccid) ? (account.recordingWhen ?? 'voice') : 'voice';
      this.known.delete(key);
      this.known.set(key, { value, readAt: Date.now() });
      if (this.known.size > MAX_ENTRIES) this.known.delete(this.known.keys().next().value as string);
    } catch (err) {
      // The store is unreachable: keep the last value (or the default) and read again at the next signal.
      this.logger.warn({ msg: 'recordingWhen could not be read, last known value kept', userName: agent.userName, error: (err as Error)?.message ?? String(err) });
    }
  }

  onChange(listener: (userName: string) => void): void {
    this.directory.onChange((userName) => {
      // Stale, not forgotten: if the read that follows fails, the last value beats the default.
      const known = this.known.get(userKey(userName));
      if (known) known.readAt = 0;
      listener(userName);
    });
  }
}
