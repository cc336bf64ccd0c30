import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Authenticator } from '../identity/authentication/authenticator';
import type { Principal } from '../identity/principal';
import { RecorderAuthenticator } from './recorder-authenticator';

/** Recorders authenticate like every client (Basic, Bearer, or session cookie) through the identity module. */
@Injectable()
export class IdentityRecorderAuthenticator extends RecorderAuthenticator {
  constructor(private readonly authenticator: Authenticator) {
    super();
  }

  async authenticate(headers: IncomingHttpHeaders, remoteAddress?: string): Promise<Principal | undefined> {
    const { principal } = await this.authenticator.authenticate({ headers, ip: remoteAddress });
    return principal;
  }
}
