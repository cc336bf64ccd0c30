import { Logger } from '@nestjs/common';
import { DnRegistry } from './dn-registry';
import type { TlibRequest, TlibRequester, TlibResult } from './link/tlib-request';
import type { TlibMessage } from './tlib/tlib-messages';

/** A requester whose answers the test controls. */
class FakeLink implements TlibRequester {
  isUp = true;
  readonly sent: string[] = [];
  readonly pending: ((r: TlibResult) => void)[] = [];
  autoAnswer: ((r: TlibRequest) => TlibResult) | undefined = () => ({ kind: 'ack', event: {} as TlibMessage });

  request(request: TlibRequest): Promise<TlibResult> {
    this.sent.push(`${request.message}:${request.ThisDN}`);
    if (!this.isUp) return Promise.resolve({ kind: 'link-down' });
    if (this.autoAnswer) return Promise.resolve(this.autoAnswer(request));
    return new Promise((resolve) => this.pending.push(resolve));
  }
}

describe('DnRegistry', () => {
  let link: FakeLink;
  let lost: string[];
  let registry: DnRegistry;

  beforeEach(() => {
    Logger.overrideLogger(false);
    link = new FakeLink();
    lost = [];
    registry = new DnRegistry(link, { lost: (dn) => lost.push(dn) });
  });

  it('registers on the first holder and unregisters after the last', async () => {
    expect(await registry.acquire('7001', 'alice')).toEqual({ dn: '7001', state: 'registered', holders: ['alice'] });
    await registry.acquire('7001', 'bob');
    expect(link.sent).toEqual(['RequestRegisterAddress:7001']);
    await registry.release('7001', 'alice');
    expect(registry.isMonitored('7001')).toBe(true);
    await registry.release('7001', 'bob');
    expect(link.sent).toEqual(['RequestRegisterAddress:7001', 'RequestUnregisterAddress:7001']);
    expect(registry.isMonitored('7001')).toBe(false);
    expect(lost).toEqual(['7001']);
    expect(registry.list()).toEqual([]);
  });

  it('releases a DN again when its unregister goes unanswered, and forgets it only once the server answers', async () => {
    jest.useFakeTimers();
    try {
      await registry.acquire('7001', 'alice');
      link.autoAnswer = (r) => (r.message === 'RequestUnregisterAddress' ? { kind: 'timeout', timeoutMs: 500 } : { kind: 'ack', event: {} as TlibMessage });
      await registry.release('7001', 'alice');
      expect(registry.isMonitored('7001')).toBe(false);
      expect(registry.status('7001')).toMatchObject({ state: 'unregistered', holders: [] });
      link.autoAnswer = () => ({ kind: 'ack', event: {} as TlibMessage });
      await jest.advanceTimersByTimeAsync(1000);
      expect(link.sent).toEqual(['RequestRegisterAddress:7001', 'RequestUnregisterAddress:7001', 'RequestUnregisterAddress:7001']);
      expect(registry.list()).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('re-registers every held DN when the link comes back', async () => {
    await registry.acquire('7001', 'a');
    await registry.acquire('7002', 'b');
    registry.linkDown();
    expect(registry.status('7001')?.state).toBe('unregistered');
    link.sent.length = 0;
    registry.linkUp();
    await new Promise((r) => setImmediate(r));
    expect(link.sent.sort()).toEqual(['RequestRegisterAddress:7001', 'RequestRegisterAddress:7002']);
    expect(registry.list().map((s) => s.state)).toEqual(['registered', 'registered']);
  });

  it('keeps a session whose DN the server refuses, reports the error, and retries on the next acquire', async () => {
    link.autoAnswer = () => ({ kind: 'error', errorCode: 107, errorMessage: 'Invalid DN', event: {} as TlibMessage });
    expect(await registry.acquire('9', 'a')).toEqual({ dn: '9', state: 'refused', holders: ['a'], error: 'Invalid DN (ErrorCode 107)' });
    expect(lost).toEqual(['9']);
    link.autoAnswer = () => ({ kind: 'ack', event: {} as TlibMessage });
    expect((await registry.acquire('9', 'a')).state).toBe('registered');
  });

  it('does not register while the link is down (the next link session will)', async () => {
    link.isUp = false;
    expect((await registry.acquire('7001', 'a')).state).toBe('unregistered');
    expect(link.sent).toEqual([]);
  });

  it('serialises requests per DN: a release during registration unregisters after it', async () => {
    link.autoAnswer = undefined;
    const acquiring = registry.acquire('7001', 'a');
    await new Promise((r) => setImmediate(r));
    const releasing = registry.release('7001', 'a');
    expect(lost).toEqual(['7001']);
    link.pending.shift()!({ kind: 'ack', event: {} as TlibMessage });
    await new Promise((r) => setImmediate(r));
    link.pending.shift()!({ kind: 'ack', event: {} as TlibMessage });
    await Promise.all([acquiring, releasing]);
    expect(link.sent).toEqual(['RequestRegisterAddress:7001', 'RequestUnregisterAddress:7001']);
    expect(registry.status('7001')).toBeUndefined();
  });

  it('queries every registered DN after a gap, in one round for a burst of requests', async () => {
    await registry.acquire('7001', 'a');
    await registry.acquire('7002', 'a');
    link.sent.length = 0;
    await Promise.all([registry.queryAll(), registry.queryAll(), registry.queryAll()]);
    expect(link.sent.filter((s) => s.startsWith('RequestQueryAddress')).length).toBeGreaterThanOrEqual(2);
    expect(link.sent.filter((s) => s.startsWith('RequestQueryAddress')).length).toBeLessThanOrEqual(4);
  });
});
