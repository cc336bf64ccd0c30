import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { Account } from '../identity/authentication/account';
import type { AccountDirectory } from '../identity/authentication/account-directory';
import { StoredAgentSettings } from './stored-agent-settings';

/** The directory's part the settings use: fresh reads and change listeners. */
class Directory {
  accounts = new Map<string, Partial<Account>>();
  reads = 0;
  hang = false;
  private listeners: ((userName: string) => void)[] = [];
  fresh(userName: string): Promise<Account | undefined> {
    this.reads++;
    if (this.hang) return new Promise(() => undefined);
    return Promise.resolve(this.accounts.get(userName) as Account | undefined);
  }
  onChange(listener: (userName: string) => void): void {
    this.listeners.push(listener);
  }
  invalidate(userName: string): void {
    for (const l of this.listeners) l(userName);
  }
}

const ALICE = { ccid: 'cc-1', userName: 'alice' };

describe('StoredAgentSettings', () => {
  let directory: Directory;
  let settings: StoredAgentSettings;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    directory = new Directory();
    settings = new StoredAgentSettings(directory as unknown as AccountDirectory, loadConfig({ RWS_USER_CACHE_SECONDS: '60' }));
  });

  it('answers the stored value once read, and is fresh for the cache period', async () => {
    directory.accounts.set('alice', { ccid: 'cc-1', recordingWhen: 'off' });
    expect(settings.isFresh(ALICE)).toBe(false);
    expect(settings.recordingWhen(ALICE)).toBe('voice');
    await settings.refresh(ALICE);
    expect(settings.isFresh(ALICE)).toBe(true);
    expect(settings.recordingWhen(ALICE)).toBe('off');
  });

  it('forgets the value and tells its listener when the user changes on this node', async () => {
    directory.accounts.set('alice', { ccid: 'cc-1', recordingWhen: 'off' });
    await settings.refresh(ALICE);
    const changed: string[] = [];
    settings.onChange((u) => changed.push(u));
    directory.invalidate('alice');
    expect(changed).toEqual(['alice']);
    expect(settings.isFresh(ALICE)).toBe(false);
  });

  it('takes an account of another contact center under the same name as unknown (voice)', async () => {
    directory.accounts.set('alice', { ccid: 'cc-2', recordingWhen: 'off' });
    await settings.refresh(ALICE);
    expect(settings.recordingWhen(ALICE)).toBe('voice');
  });

  it('does not wait for a hanging store longer than its budget, and keeps the last value', async () => {
    directory.accounts.set('alice', { ccid: 'cc-1', recordingWhen: 'off' });
    await settings.refresh(ALICE);
    settings.onChange(() => undefined);
    directory.hang = true;
    directory.invalidate('alice');
    await settings.refresh(ALICE);
    expect(settings.recordingWhen(ALICE)).toBe('off');
    expect(settings.isFresh(ALICE)).toBe(false);
  });
});
