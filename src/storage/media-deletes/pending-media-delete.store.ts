/** What a pending delete removes: an object of RWS's recording storage, or a voice file in a contact center's store. */
/** A voice target names the recording that owned it: the delete is skipped if another recording owns the object by then. */
export type MediaDeleteTarget = { kind: 'storage'; key: string } | { kind: 'voice'; path: string; recordingId?: string };

/** A media delete that failed and is retried until it succeeds (persisted: it survives a restart). */
export interface PendingMediaDelete {
  id: string;
  ccid: string;
  /** The recording the media belonged to (audit, logs). */
  recordingId?: string;
  target: MediaDeleteTarget;
  /** Failed attempts so far (the first one included). */
  attempts: number;
  /** ISO time of the next attempt (backoff doubles per failure). */
  nextAttemptAt: string;
  createdAt: string;
  lastError?: string;
}

/** Persistence port of the media-delete retry queue. Small by nature: only deletes that failed wait here. */
export abstract class PendingMediaDeleteStore {
  /** Adds or replaces an entry by id. */
  abstract put(entry: PendingMediaDelete): Promise<void>;
  /** Entries due at `now` (nextAttemptAt ≤ now), at most `limit`, earliest first. */
  abstract due(now: string, limit: number): Promise<PendingMediaDelete[]>;
  /** Every entry of a contact center (ops view, tests). */
  abstract list(ccid: string): Promise<PendingMediaDelete[]>;
  abstract remove(id: string): Promise<void>;
}
