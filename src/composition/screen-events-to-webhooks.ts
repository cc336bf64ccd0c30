import { Global, Injectable, Module } from '@nestjs/common';
import { DomainEvents } from '../common/events/domain-events';
import { ScreenRecordingEvent, ScreenRecordingEvents } from '../screen-recordings/screen-recording-events.port';

/**
 * Screen-recording events go to the webhooks outbox as `screenRecording.<type>`, keeping their outbox id
 * (so a relay repeated after a failure queues the same message). Composition-root wiring: the
 * screen-recordings module knows nothing of webhooks, the webhooks module nothing of screen recordings.
 */
@Injectable()
export class ScreenEventsToWebhooks extends ScreenRecordingEvents {
  constructor(private readonly events: DomainEvents) {
    super();
  }

  publish(event: ScreenRecordingEvent): Promise<void> {
    return this.events.publish({ id: event.id, type: `screenRecording.${event.type}`, ccid: event.ccid, occurredAt: event.occurredAt, data: event.data });
  }
}

/** Binds the ScreenRecordingEvents port for the whole application (global: the port's users are in several modules). */
@Global()
@Module({ providers: [{ provide: ScreenRecordingEvents, useClass: ScreenEventsToWebhooks }], exports: [ScreenRecordingEvents] })
export class ScreenEventsWiring {}
