import { Logger } from '@nestjs/common';
import { CommandDelivery, DeliveryObserver, DeliveryTarget, OutstandingCommand } from './command-delivery';
import type { CommandAction, CommandMessage } from './recorder-protocol';

class FakeRecorder implements DeliveryTarget {
  open = true;
  outstanding?: OutstandingCommand;
  readonly frames: string[] = [];
  send(frame: string): void {
    this.frames.push(frame);
  }
  ids(): string[] {
    return this.frames.map((f) => (JSON.parse(f) as CommandMessage).commandId);
  }
}

function command(commandId: string, action: CommandAction = 'start'): CommandMessage {
  return { type: 'command', commandId, action, recordingId: 'rec-1', callUuid: 'CALL', connId: 'conn', at: '2025-01-01T00:00:00.000Z' };
}

const RESEND_MS = 100;

describe('CommandDelivery', () => {
  let delivery: CommandDelivery;
  let recorder: FakeRecorder;
  let observed: { sent: number; resent: number; acked: boolean[] };

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    jest.useFakeTimers();
    observed = { sent: 0, resent: 0, acked: [] };
    const observer: DeliveryObserver = {
      sent: () => observed.sent++,
      resent: () => observed.resent++,
      acked: (_c, ok) => observed.acked.push(ok),
    };
    delivery = new CommandDelivery(RESEND_MS, observer);
    recorder = new FakeRecorder();
  });

  afterEach(() => {
    delivery.close();
    jest.useRealTimers();
  });

  it('sends at once, serialized once, then resends with doubling delays until acked', () => {
    delivery.deliver(recorder, command('c1'));
    expect(recorder.ids()).toEqual(['c1']);
    expect(JSON.parse(recorder.frames[0])).toEqual(command('c1'));
    jest.advanceTimersByTime(RESEND_MS + 30);
    expect(recorder.frames).toHaveLength(2);
    // the resend is the very same frame
    expect(recorder.frames[1]).toBe(recorder.frames[0]);
    jest.advanceTimersByTime(2 * RESEND_MS);
    expect(recorder.frames).toHaveLength(3);
    jest.advanceTimersByTime(2 * RESEND_MS);
    expect(recorder.frames).toHaveLength(3);
    jest.advanceTimersByTime(2 * RESEND_MS + 30);
    expect(recorder.frames).toHaveLength(4);
    expect(delivery.inFlight).toBe(1);
    expect(delivery.acknowledge(recorder, { type: 'ack', commandId: 'c1', ok: true })).toBe('acked');
    expect(delivery.inFlight).toBe(0);
    jest.advanceTimersByTime(100 * RESEND_MS);
    expect(recorder.frames).toHaveLength(4);
    expect(observed).toEqual({ sent: 1, resent: 3, acked: [true] });
  });

  it('caps the backoff at 32 times the first delay', () => {
    delivery.deliver(recorder, command('c1'));
    jest.advanceTimersByTime(RESEND_MS * (1 + 2 + 4 + 8 + 16 + 32) + 200);
    expect(recorder.frames).toHaveLength(7);
    jest.advanceTimersByTime(RESEND_MS * 32 + 30);
    expect(recorder.frames).toHaveLength(8);
    jest.advanceTimersByTime(RESEND_MS * 32);
    expect(recorder.frames).toHaveLength(9);
  });

  it('stops resending a command superseded by a newer one for the same recorder', () => {
    delivery.deliver(recorder, command('c1', 'start'));
    delivery.deliver(recorder, command('c2', 'pause'));
    jest.advanceTimersByTime(RESEND_MS + 30);
    expect(recorder.ids()).toEqual(['c1', 'c2', 'c2']);
    expect(delivery.acknowledge(recorder, { type: 'ack', commandId: 'c1', ok: true })).toBe('unknown');
    expect(recorder.outstanding?.command.commandId).toBe('c2');
    expect(delivery.acknowledge(recorder, { type: 'ack', commandId: 'c2', ok: true })).toBe('acked');
  });

  it('ignores an ack for a command it never sent', () => {
    expect(delivery.acknowledge(recorder, { type: 'ack', commandId: 'nope', ok: true })).toBe('unknown');
    delivery.deliver(recorder, command('c1'));
    expect(delivery.acknowledge(recorder, { type: 'ack', commandId: 'nope', ok: false, error: 'x' })).toBe('unknown');
    expect(recorder.outstanding?.command.commandId).toBe('c1');
    expect(observed.acked).toEqual([]);
  });

  it('does not resend a command the recorder refused (ok: false)', () => {
    delivery.deliver(recorder, command('c1', 'pause'));
    expect(delivery.acknowledge(recorder, { type: 'ack', commandId: 'c1', ok: false, error: 'capture failed' })).toBe('acked');
    jest.advanceTimersByTime(10 * RESEND_MS);
    expect(recorder.frames).toHaveLength(1);
    expect(observed.acked).toEqual([false]);
  });

  it('stops resending when the connection closed or was forgotten', () => {
    const other = new FakeRecorder();
    delivery.deliver(recorder, command('c1'));
    delivery.deliver(other, command('c2'));
    recorder.open = false;
    delivery.forget(other);
    jest.advanceTimersByTime(10 * RESEND_MS);
    expect(recorder.frames).toHaveLength(1);
    expect(other.frames).toHaveLength(1);
    expect(delivery.pending).toBe(0);
    expect(delivery.inFlight).toBe(1);
  });

  it('tracks many recorders with one wheel', () => {
    const recorders = Array.from({ length: 1000 }, () => new FakeRecorder());
    recorders.forEach((r, i) => delivery.deliver(r, command(`c${i}`)));
    recorders.slice(0, 500).forEach((r, i) => delivery.acknowledge(r, { type: 'ack', commandId: `c${i}`, ok: true }));
    jest.advanceTimersByTime(RESEND_MS + 30);
    expect(recorders.filter((r) => r.frames.length === 2)).toHaveLength(500);
    expect(recorders.slice(0, 500).every((r) => r.frames.length === 1)).toBe(true);
    expect(jest.getTimerCount()).toBe(1);
  });
});
