import { Injectable, Logger, Optional } from '@nestjs/common';
import { newEventId } from '../common/events/event-ids';
import type { ScreenRecording } from './screen-recording';
import { ScreenRecordingEvents, ScreenRecordingEventType } from './screen-recording-events.port';
import { ScreenRecordingStore } from './screen-recording.store';

/**
 * The recording with one more event in its outbox: the caller writes it in the same compare-and-set as the
 * change the event reports, so the event exists exactly when the change does (never lost, never invented).
 */
export function withEvent(recording: ScreenRecording, type: ScreenRecordingEventType, at: string, extra: Record<string, unknown> = {}): ScreenRecording {
  const event = {
    id: newEventId(),
    type,
    ccid: recording.ccid,
    occurredAt: at,
    data: {
      screenRecordingId: recording.id,
      callUuid: recording.callUuid,
      userName: recording.userName,
      ...(recording.agentId ? { agentId: recording.agentId } : {}),
      ...extra,
    },
  };
  return { ...recording, outbox: [...(recording.outbox ?? []), event] };
}

/**
 * Hands the events of recordings' outboxes to ScreenRecordingEvents, in order, and then removes them from
 * the outbox. Relays of one recording run one after the other (a second relay would send an event twice).
 * A failure leaves the events in the outbox: the next relay of the recording, or the missing-recording
 * detector's pass, sends them.
 */
@Injectable()
export class ScreenEventOutbox {
  private readonly logger = new Logger('ScreenRecordings');
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ScreenRecordingStore,
    @Optional() private readonly events?: ScreenRecordingEvents,
  ) {}

  /** Relays the outbox of a recording just written (`written` undefined: nothing was written, nothing to do). */
  relay(written: ScreenRecording | undefined): Promise<void> {
    if (!written?.outbox?.length) return Promise.resolve();
    const { ccid, id } = written;
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(() => this.relayNow(ccid, id));
    this.chains.set(id, next);
    void next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }

  private async relayNow(ccid: string, id: string): Promise<void> {
    try {
      const current = await this.store.get(ccid, id);
      const pending = current?.outbox ?? [];
      if (pending.length === 0) return;
      for (const event of pending) await this.events?.publish(event);
      const sent = new Set(pending.map((e) => e.id));
      await this.store.modify(ccid, id, (doc) => (doc.outbox?.some((e) => sent.has(e.id)) ? { ...doc, outbox: doc.outbox.filter((e) => !sent.has(e.id)) } : undefined));
    } catch (err) {
      this.logger.warn({ msg: 'screen recording events wait in the outbox', recordingId: id, error: (err as Error)?.message ?? String(err) });
    }
  }
}
