import { Injectable } from '@nestjs/common';
import type { AgentRef } from './recording-signals';

/** When an agent's screen is recorded (api.md §3 `recordingWhen`). */
export type RecordingWhen = 'voice' | 'off';

/**
 * Port: an agent's screen-recording setting, read from the user store and cached at most briefly. The
 * signal → command path asks `recordingWhen` synchronously (performance.md P1) once the value is fresh;
 * when it is not, RecordersService `refresh`es it first (signals stay in order meanwhile). Changes made on
 * this node are announced through `onChange` and applied at once.
 */
export abstract class AgentSettingsPort {
  /** The value last read (however old), or the documented default `voice` when never read. */
  abstract recordingWhen(agent: AgentRef): RecordingWhen;
  /** Whether `recordingWhen(agent)` was read within the cache period. */
  abstract isFresh(agent: AgentRef): boolean;
  /** Reads the value now; never rejects (a failed read keeps the last value, or the default). */
  abstract refresh(agent: AgentRef): Promise<void>;
  /** `listener` hears of every user whose settings may have changed (by user name, unique node-wide). */
  abstract onChange(listener: (userName: string) => void): void;
}

/** Fixed: every agent is screen recorded with voice (benchmarks and tests without a user store). */
@Injectable()
export class DefaultAgentSettings extends AgentSettingsPort {
  recordingWhen(): RecordingWhen {
    return 'voice';
  }
  isFresh(): boolean {
    return true;
  }
  async refresh(): Promise<void> {}
  onChange(): void {}
}
