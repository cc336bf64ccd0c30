import { KvList, UserDataKey } from '../tlib/tlib-messages';

/** GSIP_RECORD read case-insensitively; `unknown` for a value we cannot interpret. */
export type IndicatedState = 'on' | 'paused' | 'off' | 'unknown';

/** The recording indication found in a call's UserData. */
export interface RecordingIndication {
  state: IndicatedState;
  raw: string;
  fileName?: string;
  partitions: string[];
}

/** Reads GSIP_RECORD / GSIP_REC_FN / GRECORD_PARTITIONS; undefined when the UserData has no GSIP_RECORD. */
export function readIndication(userData: KvList | undefined): RecordingIndication | undefined {
  if (!userData) return undefined;
  const raw = valueOf(userData, UserDataKey.Record);
  if (raw === undefined) return undefined;
  const fileName = valueOf(userData, UserDataKey.RecordFileName);
  return { state: stateOf(raw), raw, fileName: fileName || undefined, partitions: splitPartitions(valueOf(userData, UserDataKey.Partitions)) };
}

/** `ON` / `On` / `on` → on, and so on; anything else is unknown. */
export function stateOf(raw: string): IndicatedState {
  switch (raw.trim().toLowerCase()) {
    case 'on':
      return 'on';
    case 'paused':
      return 'paused';
    case 'off':
      return 'off';
    default:
      return 'unknown';
  }
}

/** GRECORD_PARTITIONS is comma-separated (`/sales,/support`). */
export function splitPartitions(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * The recorded party named by a recording file name `<CallUUID>_<DN>_…` (SIP Server's recording-filename
 * with $UUID$_$DN$). A known party that matches wins (DNs may contain `_`); otherwise the second field,
 * unless `strict`. Undefined when the name belongs to another call (attached data copied to a consult call)
 * or names no party.
 */
export function recordedDnOf(fileName: string, callUuid: string, parties: Iterable<string>, strict = false): string | undefined {
  if (!belongsTo(fileName, callUuid)) return undefined;
  const rest = fileName.slice(callUuid.length + 1);
  let best: string | undefined;
  for (const dn of parties) {
    if ((rest === dn || rest.startsWith(`${dn}_`)) && (best === undefined || dn.length > best.length)) best = dn;
  }
  if (best !== undefined || strict) return best;
  const field = rest.split('_')[0];
  return field.length > 0 ? field : undefined;
}

/** True when the file name starts with this call's UUID. */
export function belongsTo(fileName: string, callUuid: string): boolean {
  return fileName.length > callUuid.length && fileName.startsWith(callUuid) && fileName.charAt(callUuid.length) === '_';
}

function valueOf(userData: KvList, key: string): string | undefined {
  let value = userData[key];
  if (value === undefined) {
    const lower = key.toLowerCase();
    for (const k in userData) {
      if (k.toLowerCase() === lower) {
        value = userData[k];
        break;
      }
    }
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
