import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../src/identity/principal';
import { RecorderAuthenticator } from '../../src/recorders/recorder-authenticator';

/** The contact center of the bench agents. */
export const BENCH_CCID = '00000000-0000-4000-8000-00000000be1c';

/**
 * Bench agents: `Bearer bench-<i>` is agent `agent<i>`. The recorder benchmarks measure the channel, not the
 * password check: thousands of recorders would otherwise need thousands of user accounts.
 */
export class BenchAuthenticator extends RecorderAuthenticator {
  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    const m = /^Bearer bench-(\d+)$/.exec(headers.authorization ?? '');
    return m ? { kind: 'user', userName: `agent${m[1]}`, ccid: BENCH_CCID, agentId: m[1], roles: ['agent'], permissions: [], accessGroups: [] } : undefined;
  }
}
