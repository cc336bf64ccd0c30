import { KeyedSerialQueue } from './keyed-serial-queue';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedSerialQueue', () => {
  it('runs the tasks of one key in order, one at a time, even when an earlier one is slower', async () => {
    const queue = new KeyedSerialQueue();
    const order: string[] = [];
    const slow = deferred();
    queue.run('a', async () => {
      await slow.promise;
      order.push('first');
    }, fail);
    queue.run('a', () => void order.push('second'), fail);
    await flush();
    expect(order).toEqual([]);
    slow.resolve();
    await flush();
    expect(order).toEqual(['first', 'second']);
    expect(queue.pendingKeys).toBe(0);
  });

  it('does not hold one key behind another', async () => {
    const queue = new KeyedSerialQueue();
    const blocked = deferred();
    const ran: string[] = [];
    queue.run('a', () => blocked.promise, fail);
    queue.run('b', () => void ran.push('b'), fail);
    await flush();
    expect(ran).toEqual(['b']);
    expect(queue.pendingKeys).toBe(1);
    blocked.resolve();
    await flush();
    expect(queue.pendingKeys).toBe(0);
  });

  it('reports a failure and goes on with the next task of the key', async () => {
    const queue = new KeyedSerialQueue();
    const errors: unknown[] = [];
    const ran: string[] = [];
    queue.run('a', () => Promise.reject(new Error('boom')), (e) => errors.push(e));
    queue.run('a', () => {
      throw new Error('sync boom');
    }, (e) => errors.push(e));
    queue.run('a', () => void ran.push('after'), fail);
    await flush();
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'sync boom']);
    expect(ran).toEqual(['after']);
  });

  it('answers each submitted task’s result or failure to its caller, in order, without stopping the key', async () => {
    const queue = new KeyedSerialQueue();
    const slow = deferred();
    const order: string[] = [];
    const first = queue.submit('a', async () => {
      await slow.promise;
      order.push('first');
      return 1;
    });
    const second = queue.submit('a', () => Promise.reject(new Error('refused')));
    const third = queue.submit('a', async () => {
      order.push('third');
      return 3;
    });
    slow.resolve();
    await expect(first).resolves.toBe(1);
    await expect(second).rejects.toThrow('refused');
    await expect(third).resolves.toBe(3);
    expect(order).toEqual(['first', 'third']);
  });
});

function fail(err: unknown): never {
  throw err;
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
