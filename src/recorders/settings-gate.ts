import { Logger } from '@nestjs/common';
import type { AgentSettingsPort } from './agent-settings.port';
import type { AgentRef } from './recording-signals';

/**
 * Holds recorder inputs (telephony signals, hellos) until the agents' recordingWhen is fresh, applying them
 * strictly in arrival order: when nothing is pending and every value is fresh, at once (the usual, synchronous
 * path); otherwise behind the inputs before it, with the reads of all of them running meanwhile.
 */
export class SettingsGate {
  private readonly logger = new Logger('Recorders');
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly settings: Pick<AgentSettingsPort, 'isFresh' | 'refresh'>) {}

  /**
   * Runs `apply` once the recordingWhen of `agents` is fresh (`force`: read again regardless of the cache).
   * `before`: another read the input waits for; what it resolves to runs just before `apply`, in the same turn.
   */
  whenKnown(agents: AgentRef[], apply: () => void, force = false, before?: Promise<() => void>): void {
    const stale = force ? agents : agents.filter((a) => !this.settings.isFresh(a));
    if (stale.length === 0 && this.pending === 0 && !before) return apply();
    const reads = Promise.all(stale.map((a) => this.settings.refresh(a)));
    this.pending++;
    this.tail = Promise.all([this.tail, reads, before])
      .then(([, , prepare]) => {
        prepare?.();
        apply();
      })
      .catch((err: unknown) => this.logger.error({ msg: 'recorder input failed', error: (err as Error)?.message ?? String(err) }))
      .finally(() => this.pending--);
  }
}
