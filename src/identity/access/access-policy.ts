import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { InsufficientPermissionsException, InsufficientRolesException } from '../identity.exception';
import type { Principal } from '../principal';
import { RecordingNotFoundException } from './access.exception';
import { Operation, refusalOf } from './operations';
import { canonicalPath, RecordingFacts, RecordingScope, scopeAllows } from './recording-access';

/**
 * The one access policy for recordings (api.md §2, "Access control"). A recording is visible to
 *  - the ops account: every contact center;
 *  - a service account: every recording of its contact center;
 *  - a user of its contact center when (a) the user is the recorded agent, or (b) one of the user's access
 *    groups is a path prefix of the recorded agent's hierarchy, or (c) one of the user's access groups
 *    equals (or is a parent of) one of the recording's partitions. An access group `/` sees the whole
 *    contact center.
 * and always only on its own region's nodes. A recording the caller may not see does not exist for it:
 * reads answer 404 exactly as for a missing id, and lists leave it out, so existence never leaks.
 *
 * Reads use canSeeRecording/requireVisible, lists use searchScope (constraints for the query) and
 * scopeAllows (the same predicate as a post-filter): one rule, two shapes.
 */
@Injectable()
export class AccessPolicy {
  private readonly region: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.region = config.region;
  }

  /**
   * The recordings a principal may see, optionally within the contact center of an ops-path route
   * (`/api/v2/ops/contact-centers/{ccid}/…`): another contact center than the caller's yields `none`.
   */
  searchScope(principal: Principal, routeCcid?: string): RecordingScope {
    const region = this.region;
    const route = routeCcid?.toLowerCase();
    if (principal.kind === 'ops') return route ? { kind: 'contactCenter', region, ccid: route } : { kind: 'all', region };
    const own = principal.ccid?.toLowerCase();
    if (!own || (route !== undefined && route !== own)) return { kind: 'none' };
    if (principal.kind === 'service') return { kind: 'contactCenter', region, ccid: own };
    const groups = [...new Set(principal.accessGroups.filter((g) => g.trim() !== '').map(canonicalPath))];
    if (groups.includes('/')) return { kind: 'contactCenter', region, ccid: own };
    const agentIds = principal.agentId ? [principal.agentId] : [];
    if (agentIds.length === 0 && groups.length === 0) return { kind: 'none' };
    return { kind: 'restricted', region, ccid: own, agentIds, hierarchyPrefixes: groups, partitions: groups };
  }

  canSeeRecording(principal: Principal, facts: RecordingFacts, routeCcid?: string): boolean {
    return scopeAllows(this.searchScope(principal, routeCcid), facts);
  }

  /** The facts when visible; otherwise 404 `Requested recording [<id>] cannot be found.`, the same answer as a missing id. */
  requireVisible<T extends RecordingFacts>(principal: Principal, recording: T | undefined, recordingId: string, routeCcid?: string): T {
    if (!recording || !this.canSeeRecording(principal, recording, routeCcid)) throw new RecordingNotFoundException(recordingId);
    return recording;
  }

  /**
   * Refuses an operation the caller's kind, roles or permissions do not allow (OPERATION_RULES): 403 with
   * statusCode 5 (roles) or 3 (permissions). Independent of any recording, so it may run before the lookup
   * without revealing whether a recording exists; reads of a specific recording also need requireVisible.
   */
  requireOperation(principal: Principal, operation: Operation): void {
    const refusal = refusalOf(principal, operation);
    if (!refusal) return;
    throw refusal.kind === 'role' ? new InsufficientRolesException(refusal.message) : new InsufficientPermissionsException(refusal.message);
  }

  /** Whether the caller may do `operation` on a recording with these facts (visible, and allowed by the table). */
  allows(principal: Principal, operation: Operation, facts: RecordingFacts, routeCcid?: string): boolean {
    return refusalOf(principal, operation) === undefined && this.canSeeRecording(principal, facts, routeCcid);
  }

  /** Playback of encrypted media needs `decrypt` (403, statusCode 3). Check after requireVisible, so a hidden recording stays 404. */
  requireDecrypt(principal: Principal): void {
    this.requireOperation(principal, 'decrypt');
  }
}
