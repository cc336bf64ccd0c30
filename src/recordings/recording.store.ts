import type { RecordingPage, RecordingSearch } from './recording-query';
import type { VoiceRecording } from './voice-recording';

/**
 * Decides the next state of a recording from its current state (undefined when absent). Returns the
 * recording to store, or undefined to leave it as it is; throws to refuse (the store writes nothing).
 * It may run more than once when another writer got there first, so it must be a pure function.
 */
export type RecordingChange = (current: VoiceRecording | undefined) => VoiceRecording | undefined;

/** Hints for an upsert. */
export interface UpsertOptions {
  /** The caller expects no recording yet (an insert): a store may skip its first read. */
  likelyNew?: boolean;
}

/** Persistence port for voice recordings: documents by (ccid, id) plus the lookup entries search uses. */
export abstract class RecordingStore {
  abstract get(ccid: string, id: string): Promise<VoiceRecording | undefined>;

  /**
   * Applies `change` atomically against concurrent writers of the same recording (compare-and-set, retried).
   * The lookup entries are written even when the document did not change, so a retried post repairs
   * what an interrupted one left behind. Returns the recording as stored afterwards.
   */
  abstract upsert(ccid: string, id: string, change: RecordingChange, options?: UpsertOptions): Promise<VoiceRecording | undefined>;

  /**
   * Deletes the recording when `guard(current)` does not throw at the moment of deletion. Returns the
   * deleted recording, or undefined when there was none.
   */
  abstract delete(ccid: string, id: string, guard: (current: VoiceRecording) => void): Promise<VoiceRecording | undefined>;

  /** One page of a search, in result order (startTime desc, id desc). */
  abstract search(search: RecordingSearch): Promise<RecordingPage>;
}

/** A label that supervisors may put on recordings of one contact center. */
export interface RecordingLabelDefinition {
  name: string;
  displayName?: string;
  description?: string;
  createdAt: string;
}

/** Persistence port for label definitions. */
export abstract class RecordingLabelDefinitionStore {
  /** Stores a definition; returns false (and changes nothing) when the name is taken. */
  abstract create(ccid: string, definition: RecordingLabelDefinition): Promise<boolean>;
  abstract get(ccid: string, name: string): Promise<RecordingLabelDefinition | undefined>;
  abstract list(ccid: string): Promise<RecordingLabelDefinition[]>;
}
