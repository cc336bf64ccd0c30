import { createHash } from 'node:crypto';

/** A JSON object as a client sent it: fields this service does not know are kept and returned. */
export type JsonObject = { [key: string]: unknown };

/** One media file of a stored voice recording (api.md §2); `mediaFileId` is ours, the rest as posted. */
export interface RecordingMediaFile extends JsonObject {
  mediaId: string;
  /** Stable UUID naming the file in play URLs; distinct from `mediaId`, never changes once assigned. */
  mediaFileId: string;
  type?: string;
  startTime?: string;
  stopTime?: string;
  /** Kept as the string the Recording Processor sent (`"38.376"`). */
  duration?: string;
  size?: string;
  mediaDescriptor?: JsonObject;
  parameters?: JsonObject;
  accessgroups?: string[];
  partitions?: string[];
}

/**
 * The stored document of one voice recording: the merge of every insert document posted for its `id`
 * (unknown fields kept), timestamps in the canonical RWS form, plus the fields this service manages
 * (`labels`, `nonDelete`).
 */
export interface VoiceRecording extends JsonObject {
  id: string;
  ccid: string;
  region: string;
  callerPhoneNumber: string;
  dialedPhoneNumber: string;
  startTime?: string;
  stopTime?: string;
  callType?: string;
  eventHistory: JsonObject[];
  mediaFiles: RecordingMediaFile[];
  labels: string[];
  nonDelete: boolean;
}

/** A validated insert document: a VoiceRecording before merging (media files have no mediaFileId yet). */
export interface RecordingInsert extends JsonObject {
  id: string;
  ccid: string;
  region: string;
  callerPhoneNumber: string;
  dialedPhoneNumber: string;
  startTime?: string;
  stopTime?: string;
  eventHistory: JsonObject[];
  mediaFiles: (JsonObject & { mediaId: string })[];
  labels?: string[];
  nonDelete?: boolean;
}

/**
 * Recording ids (CallUUIDs) are restricted to characters that are safe in paths and sort the same everywhere;
 * an id of dots only (`.`, `..`) would be a dot segment in every URL naming it.
 */
export const RECORDING_ID_PATTERN = /^(?!\.+$)[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The mediaFileId of a media file: a UUID derived from (ccid, recording id, mediaId). Derived rather than
 * random so that concurrent first posts of the same recording (processor retries racing on two nodes)
 * cannot assign two different ids; it is kept as stored on every later merge.
 */
export function mediaFileIdFor(ccid: string, recordingId: string, mediaId: string): string {
  const hash = createHash('sha256').update(`${ccid}\n${recordingId}\n${mediaId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x80; // version 8 (custom, RFC 9562)
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Longest time a recording may span; its index rows cover every UTC day it touches. */
export const MAX_RECORDING_SPAN_MS = 31 * 24 * 3600 * 1000;
