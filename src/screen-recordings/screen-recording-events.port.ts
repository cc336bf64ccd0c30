/** What happens to a screen recording that the outside may be told of (docs/lifecycle.md, events). */
export type ScreenRecordingEventType = 'started' | 'paused' | 'resumed' | 'stopped' | 'stored' | 'failed' | 'missing';

/** One event, recorded in the recording's outbox in the same write as the change it reports. */
export interface ScreenRecordingEvent {
  /** Stable and sortable (common/events/event-ids): relaying it twice queues the same message. */
  id: string;
  type: ScreenRecordingEventType;
  ccid: string;
  occurredAt: string;
  /** Ids and reasons, never personal data: screenRecordingId, callUuid, userName, agentId, and mediaId or reason. */
  data: Record<string, unknown>;
}

/**
 * Port: where screen-recording events go once they are durable in the recording's outbox. Bound in the
 * composition root (the webhooks outbox); absent, events are dropped from the outbox unpublished. `publish`
 * rejects when the event is not queued — it then stays in the outbox and is relayed again later.
 */
export abstract class ScreenRecordingEvents {
  abstract publish(event: ScreenRecordingEvent): Promise<void>;
}
