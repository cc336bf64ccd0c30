import { createHash } from 'node:crypto';
import type { AgentRef } from './recording-signals';

/**
 * Namespace of RWS screen recording ids (a fixed random UUID): ids derived here never collide with UUIDv5 ids
 * other software derives from the same names.
 */
export const SCREEN_RECORDING_ID_NAMESPACE = '6f1d3c52-8a4e-4b7f-9d21-3e5a7c9b0f18';

/**
 * The id of an agent's screen recording of one call: a name-based UUID (version 5, RFC 9562 §5.5) of
 * (contact center, user name, CallUUID[, generation]). Every node that derives the agent's desired state for
 * the same call — two nodes seeing the same event, or a new home after a takeover — names the same recording,
 * and the store's insert-if-absent makes its creation happen once. `generation` (> 1) tells apart a second
 * screen recording of the same call on the same home (the call's recording stopped and started again).
 */
export function screenRecordingId(agent: Pick<AgentRef, 'ccid' | 'userName'>, callUuid: string, generation = 1): string {
  const parts = [agent.ccid ?? '-', agent.userName, callUuid];
  if (generation > 1) parts.push(String(generation));
  // A separator no part can hold unescaped: ("a\nb", "c") and ("a", "b\nc") must not name the same recording.
  return uuidV5(parts.map((p) => p.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')).join('\n'), SCREEN_RECORDING_ID_NAMESPACE);
}

/** RFC 9562 version 5: SHA-1 of namespace bytes + name, version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
