/** Lifecycle event types published to the outside (docs/lifecycle.md lists their data). */
export const DOMAIN_EVENT_TYPES = [
  'recording.deleted',
  'recording.purged',
  'recording.erased',
  'legalHold.applied',
  'legalHold.removed',
  'voiceRecording.stored',
  'screenRecording.stored',
  'export.finished',
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/** Something that happened to a contact center's recordings. Carries ids, never personal data. */
export interface DomainEvent {
  type: DomainEventType;
  ccid: string;
  data: Record<string, unknown>;
}

/**
 * Where modules report lifecycle events. `publish` resolves once the event is durably queued for every
 * subscriber (webhook deliveries are at least once), so a caller awaits it after its own change is durable.
 * Implemented by the lifecycle module; absent (tests of a module alone), nothing is published.
 */
export abstract class DomainEvents {
  abstract publish(event: DomainEvent): Promise<void>;
}
