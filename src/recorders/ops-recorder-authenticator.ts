import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { parseBasicAuthorization } from '../identity/basic-credentials';
import { OpsAccount } from '../identity/ops-account';
import type { Principal } from '../identity/principal';
import { RecorderAuthenticator } from './recorder-authenticator';

/**
 * Default RecorderAuthenticator until user accounts exist: only the ops account (Basic) may connect, as an
 * agent named after it. Replaced at merge by the identity module's Basic/JWT check of agent users.
 */
@Injectable()
export class OpsRecorderAuthenticator extends RecorderAuthenticator {
  constructor(private readonly ops: OpsAccount) {
    super();
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    const basic = parseBasicAuthorization(headers.authorization);
    if (!basic || !this.ops.matches(basic.userName, basic.password)) return undefined;
    return { kind: 'ops', userName: basic.userName, roles: ['admin'], permissions: [], accessGroups: ['/'] };
  }
}
