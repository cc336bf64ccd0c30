import { randomBytes } from 'node:crypto';

const UUID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A ConnID: 16 hex digits, as T-Library prints them. */
export function newConnId(): string {
  return randomBytes(8).toString('hex');
}

/** A CallUUID: 32 upper-case letters and digits, like SIP Server's. */
export function newCallUuid(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += UUID_ALPHABET[b % UUID_ALPHABET.length];
  return out;
}

let fileCounter = 0;

/**
 * A recording file name: `<CallUUID>_<DN>_<yyyyMMddHHmmss>-<n>`, i.e. SIP Server's recording-filename
 * template `$UUID$_$DN$_$DATE$$TIME$` plus a counter. RWS reads the recorded DN from the second field.
 */
export function recordingFileName(callUuid: string, dn: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  fileCounter = (fileCounter + 1) % 1_000_000;
  return `${callUuid}_${dn}_${stamp}-${fileCounter}`;
}

/** A recording session id when the request did not give one. */
export function newRecordingId(): string {
  return randomBytes(12).toString('hex');
}
