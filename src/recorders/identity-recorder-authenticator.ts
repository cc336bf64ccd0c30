import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Authenticator } from '../identity/authentication/authenticator';
import type { Principal } from '../identity/principal';
import { KnownAgentSettings } from './known-agent-settings';
import { RecorderAuthenticator } from './recorder-authenticator';

/**
 * Recorders authenticate like every client (Basic, Bearer, or session cookie) through the identity module.
 * The agent's `recordingWhen` is remembered on the way, so the signal → command path can ask it from memory.
 */
@Injectable()
export class IdentityRecorderAuthenticator extends RecorderAuthenticator {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly settings: KnownAgentSettings,
  ) {
    super();
  }

  async authenticate(headers: IncomingHttpHeaders, remoteAddress?: string): Promise<Principal | undefined> {
    const { principal } = await this.authenticator.authenticate({ headers, ip: remoteAddress });
    this.settings.remember(principal);
    return principal;
  }
}
