import { Injectable } from '@nestjs/common';
import type { Principal } from '../identity/principal';
import type { DeviceRef } from './recorder-protocol';

/**
 * Port: start the agent's contact-center session from the recorder's hello (`place`/`devices`), like the
 * desktop's StartContactCenterSession (api.md §4). Telephony binds the real implementation.
 */
export abstract class AgentSessionPort {
  abstract startSession(principal: Principal, place: string | undefined, devices: DeviceRef[]): Promise<void>;
}

/** Default: no telephony yet, nothing to register. */
@Injectable()
export class NoAgentSessions extends AgentSessionPort {
  async startSession(): Promise<void> {}
}
