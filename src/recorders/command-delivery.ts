import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { AckMessage, CommandMessage } from './recorder-protocol';
import { TimerWheel } from './timer-wheel';

/** The one command of a recorder still waiting for its ack. */
export interface OutstandingCommand {
  readonly target: DeliveryTarget;
  readonly command: CommandMessage;
  /** The serialized frame, built once and reused for every resend. */
  readonly frame: string;
  readonly firstSentAt: number;
  attempts: number;
  nextDelayMs: number;
}

/** Where commands go: a recorder connection (an interface so delivery is testable without sockets). */
export interface DeliveryTarget {
  readonly open: boolean;
  /** Set and cleared by CommandDelivery only. */
  outstanding?: OutstandingCommand;
  send(frame: string): void;
}

/** Counters and timings CommandDelivery reports (RecorderMetrics in the app, nothing in unit tests). */
export interface DeliveryObserver {
  sent(command: CommandMessage): void;
  resent(command: CommandMessage, attempt: number): void;
  acked(command: CommandMessage, ok: boolean, latencyMs: number): void;
}

/** Outcome of an ack. */
export type AckOutcome = 'acked' | 'unknown';

/**
 * At-least-once delivery of recorder commands: each command is sent at once, then resent with exponential
 * backoff (resendMs, 2×, 4×… up to 32×) until the recorder acks it, a newer command for the same recorder
 * supersedes it, or the connection ends (the reconnect snapshot takes over then). Only the newest command of
 * a recorder is tracked: commands express desired state, so the newest one alone brings the recorder there
 * (a `start` of a new id also ends the previous recording on the recorder side). All resends share one
 * timer wheel.
 */
export class CommandDelivery {
  private readonly logger = new Logger('RecorderCommands');
  private readonly wheel: TimerWheel<OutstandingCommand>;
  private readonly maxDelayMs: number;
  private unacked = 0;

  constructor(
    private readonly resendMs: number,
    private readonly observer?: DeliveryObserver,
  ) {
    this.maxDelayMs = resendMs * 32;
    const tickMs = Math.min(100, Math.max(5, Math.floor(resendMs / 4)));
    this.wheel = new TimerWheel(tickMs, 512, (o) => this.resend(o));
  }

  /** Sends a command and tracks it until acked, superseding the target's previous one. */
  deliver(target: DeliveryTarget, command: CommandMessage): void {
    const outstanding: OutstandingCommand = {
      target,
      command,
      frame: JSON.stringify(command),
      firstSentAt: performance.now(),
      attempts: 1,
      nextDelayMs: this.resendMs,
    };
    if (!target.outstanding) this.unacked++;
    target.outstanding = outstanding;
    target.send(outstanding.frame);
    this.observer?.sent(command);
    this.wheel.schedule(outstanding, outstanding.nextDelayMs);
  }

  /** Applies an ack; acks of unknown or superseded commands are ignored (logged at debug). */
  acknowledge(target: DeliveryTarget, ack: AckMessage): AckOutcome {
    const outstanding = target.outstanding;
    if (!outstanding || outstanding.command.commandId !== ack.commandId) {
      this.logger.debug({ msg: 'ack for an unknown or superseded command ignored', commandId: ack.commandId });
      return 'unknown';
    }
    target.outstanding = undefined;
    this.unacked--;
    this.observer?.acked(outstanding.command, ack.ok, performance.now() - outstanding.firstSentAt);
    if (!ack.ok) {
      // A recorder that could not pause is a PCI concern: make it visible. It is not resent (it would fail
      // the same way); the recorder's next status lets RecordersService correct the state.
      this.logger.warn({
        msg: 'recorder refused a command',
        commandId: ack.commandId,
        action: outstanding.command.action,
        recordingId: outstanding.command.recordingId,
        error: ack.error?.slice(0, 200),
      });
    }
    return 'acked';
  }

  /** Stops tracking a target's command (its connection ended). */
  forget(target: DeliveryTarget): void {
    if (target.outstanding) this.unacked--;
    target.outstanding = undefined;
  }

  /** Recorders with a command not yet acknowledged. */
  get inFlight(): number {
    return this.unacked;
  }

  /** Stops every resend (shutdown). */
  close(): void {
    this.wheel.clear();
  }

  /** Commands scheduled for a possible resend (for tests and diagnostics). */
  get pending(): number {
    return this.wheel.size;
  }

  private resend(outstanding: OutstandingCommand): void {
    const target = outstanding.target;
    if (target.outstanding !== outstanding || !target.open) return;
    outstanding.attempts++;
    outstanding.nextDelayMs = Math.min(outstanding.nextDelayMs * 2, this.maxDelayMs);
    target.send(outstanding.frame);
    this.observer?.resent(outstanding.command, outstanding.attempts);
    this.wheel.schedule(outstanding, outstanding.nextDelayMs);
  }
}
