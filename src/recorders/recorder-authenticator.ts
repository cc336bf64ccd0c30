import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../identity/principal';

/**
 * Port: who is opening a recorder connection. Reads the agent's own credentials (`Authorization: Basic …`
 * or `Bearer …`) from the upgrade request; undefined refuses it with 401 before the upgrade. It may throw an
 * RwsException (e.g. 403, 503), which is rendered as the HTTP answer. Identity binds the real implementation.
 */
export abstract class RecorderAuthenticator {
  abstract authenticate(headers: IncomingHttpHeaders, remoteAddress?: string): Promise<Principal | undefined>;
}
