import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import type { CommandAction } from './recorder-protocol';

/** Why a recorder connection ended. */
export type RecorderGoneReason = 'closed' | 'heartbeat' | 'replaced' | 'hello-timeout' | 'abuse' | 'policy' | 'shutdown';

/** Prometheus instruments of the recorder channel. */
@Injectable()
export class RecorderMetrics {
  readonly connected: Gauge;
  readonly commandsSent: Counter<'action'>;
  readonly commandsAcked: Counter<'outcome'>;
  readonly commandsResent: Counter;
  readonly ackLatency: Histogram;
  readonly gone: Counter<'reason'>;
  readonly refusedFrames: Counter<'code'>;
  // Label children bound once: the signal → command path should not hash label sets per command.
  private readonly sentByAction: Record<CommandAction, Counter.Internal>;
  private readonly ackedOk: Counter.Internal;
  private readonly ackedError: Counter.Internal;

  private readonly registry: MetricsService['registry'];

  constructor(metrics: MetricsService) {
    this.registry = metrics.registry;
    const registers = [metrics.registry];
    this.connected = new Gauge({ name: 'rws_recorders_connected', help: 'Screen recorders connected (after hello)', registers });
    this.commandsSent = new Counter({ name: 'rws_recorder_commands_sent_total', help: 'Commands sent to recorders (first sends)', labelNames: ['action'], registers });
    this.commandsAcked = new Counter({ name: 'rws_recorder_commands_acked_total', help: 'Command acknowledgements by outcome', labelNames: ['outcome'], registers });
    this.commandsResent = new Counter({ name: 'rws_recorder_commands_resent_total', help: 'Command resends (no ack in time)', registers });
    this.ackLatency = new Histogram({
      name: 'rws_recorder_command_ack_seconds',
      help: 'Time from the first send of a command to its acknowledgement',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers,
    });
    this.gone = new Counter({ name: 'rws_recorders_gone_total', help: 'Recorder connections ended, by reason', labelNames: ['reason'], registers });
    this.refusedFrames = new Counter({ name: 'rws_recorder_refused_frames_total', help: 'Recorder frames refused, by error code', labelNames: ['code'], registers });
    this.sentByAction = {
      start: this.commandsSent.labels('start'),
      pause: this.commandsSent.labels('pause'),
      resume: this.commandsSent.labels('resume'),
      stop: this.commandsSent.labels('stop'),
    };
    this.ackedOk = this.commandsAcked.labels('ok');
    this.ackedError = this.commandsAcked.labels('error');
  }

  /** Reports commands awaiting an ack, read when Prometheus scrapes (nothing on the command path). */
  observeInFlight(read: () => number): void {
    new Gauge({
      name: 'rws_recorder_commands_in_flight',
      help: 'Recorders with a command not yet acknowledged',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  sent(action: CommandAction): void {
    this.sentByAction[action].inc();
  }

  acked(ok: boolean, latencyMs: number): void {
    (ok ? this.ackedOk : this.ackedError).inc();
    this.ackLatency.observe(latencyMs / 1000);
  }
}
