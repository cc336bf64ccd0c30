import { Injectable } from '@nestjs/common';
import type { AgentRef } from './recording-signals';

/** When an agent's screen is recorded (api.md §3 `recordingWhen`). */
export type RecordingWhen = 'voice' | 'off';

/**
 * Port: an agent's screen-recording setting. Synchronous on purpose: it is asked on the signal → command
 * path (performance.md P1), so the implementation answers from memory (identity keeps the users of logged-in
 * agents cached) and calls RecordersService.onAgentSettingsChanged when a setting changes.
 */
export abstract class AgentSettingsPort {
  abstract recordingWhen(agent: AgentRef): RecordingWhen;
}

/** Default: every agent is screen recorded with voice (the documented default of `recordingWhen`). */
@Injectable()
export class DefaultAgentSettings extends AgentSettingsPort {
  recordingWhen(): RecordingWhen {
    return 'voice';
  }
}
