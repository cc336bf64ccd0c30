/** A tenant: every recording, user and setting belongs to exactly one contact center. */
export interface ContactCenter {
  /** UUID, the `ccid` of every path. */
  id: string;
  name: string;
  createdAt: string;
  /** Enabled feature URIs, e.g. `/api/api-voice-recording`. */
  features: string[];
}

/** Features the embedded default enables, and that recording controls and insertion require. */
export const FEATURE_VOICE_RECORDING = '/api/api-voice-recording';
export const FEATURE_SUPERVISOR_RECORDING = '/api/api-supervisor-recording';
