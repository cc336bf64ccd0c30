import { Counter, Gauge, Registry } from 'prom-client';
import type { RecordingEventsPort } from './recording-events';
import type { SipServerEventSource } from './sip-server-event-source';

/** Prometheus instruments of the SIP Server link: read from the link's counters at scrape time. */
export function registerTelephonyMetrics(registry: Registry, source: SipServerEventSource, events: RecordingEventsPort): void {
  new Gauge({
    name: 'rws_sipserver_link_up',
    help: '1 when the SIP Server link is up',
    registers: [registry],
    collect() {
      this.set(source.isUp() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rws_sipserver_tracked_calls',
    help: 'Calls RWS currently follows',
    registers: [registry],
    collect() {
      this.set(source.state.callCount);
    },
  });
  new Gauge({
    name: 'rws_sipserver_monitored_dns',
    help: 'DNs RWS holds for agent sessions (registered, or being registered)',
    registers: [registry],
    collect() {
      this.set(source.status().dns.filter((dn) => dn.holders.length > 0).length);
    },
  });
  const link = new Gauge({
    name: 'rws_sipserver_link_messages',
    help: 'Link counters since start, by kind (messages, invalid, unknown, duplicates, stale, gaps, connects, requests, timeouts)',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      for (const [kind, value] of Object.entries(source.link.stats)) link.set({ kind }, value);
    },
  });
  const recordingEvents = new Counter({
    name: 'rws_recording_events_total',
    help: 'Recording domain events published, by type and cause',
    labelNames: ['type', 'cause'],
    registers: [registry],
  });
  events.subscribe((event) => {
    if (event.kind === 'recording') recordingEvents.inc({ type: event.type, cause: event.cause });
  });
}
