import type { Principal } from '../identity/principal';
import type { RecordingContext } from '../recordings/recording-context';

/**
 * The principal the retention scheduler acts as: the node itself, with the ops account's reach over every
 * contact center. Audit entries of purges name it, so they never pass for a person's deletes.
 */
export const RETENTION_ACTOR: Principal = Object.freeze({
  kind: 'ops',
  userName: 'system:retention',
  roles: [],
  // Read literally by the operation table (docs/access.md): deleting needs the grant, even for ops-kind principals.
  permissions: ['deleteRecordings'],
  accessGroups: [],
}) as Principal;

/** The recording context of a system action on one contact center (no request, no links). */
export function systemContext(ccid: string, principal: Principal = RETENTION_ACTOR): RecordingContext {
  return { principal, ccid, links: { baseUrl: '', family: '' } };
}
