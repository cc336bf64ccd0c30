/** Lifecycle of a screen recording: created at `start`, stored once its upload is durable. */
export type ScreenRecordingState = 'recording' | 'paused' | 'stopped' | 'stored' | 'failed';

/** One stored media file of a screen recording (usually one; a muxer may add another). */
export interface ScreenMediaFile {
  mediaId: string;
  type: string;
  size: number;
  /** Seconds, when known. */
  duration?: number;
  startTime: string;
  stopTime: string;
  /** Hex SHA-256 of the plaintext as the recorder announced and RWS verified. */
  sha256: string;
  storageKey: string;
  /** Absolute location in recording storage (WebDAV URL or filesystem key). */
  storagePath: string;
  /** CMS EnvelopedData (PEM) wrapping the file key, when the media is encrypted. */
  pkcs7?: string;
  /** Per-chunk ciphertext digests that let a Range read be verified (crypto module's format). */
  integrity?: Record<string, unknown>;
  /** As a registering service sent them (e.g. the muxer's `muxed_mediaIds` naming the sources). */
  parameters?: Record<string, unknown>;
}

/** A screen recording of one agent, linked to a voice call by CallUUID. */
export interface ScreenRecording {
  id: string;
  ccid: string;
  region: string;
  userName: string;
  agentId?: string;
  /** The agent's hierarchy when the recording started (access control, api.md §2). */
  agentHierarchy?: string;
  /** `GRECORD_PARTITIONS` of the call (access control). */
  partitions?: string[];
  callUuid: string;
  connId: string;
  startTime: string;
  stopTime?: string;
  state: ScreenRecordingState;
  /** What happened to the recording (`{occurredAt, event}`: Started, Paused, Resumed, Stopped), and events services posted. */
  eventHistory?: Record<string, unknown>[];
  mediaFiles: ScreenMediaFile[];
  nonDelete: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Filters of the public screen-recording search. */
export interface ScreenRecordingQuery {
  ccid: string;
  region: string;
  callUuid?: string;
  userName?: string;
  /** Recordings overlapping [startTime, endTime]. */
  startTime?: string;
  endTime?: string;
  limit: number;
}
