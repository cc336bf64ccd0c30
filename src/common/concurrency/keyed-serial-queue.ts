/**
 * Runs tasks one after another per key and concurrently across keys, in the order they were queued. Used
 * where fire-and-forget writes about one object must land in the order their events happened.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues `task` behind the earlier tasks of `key`; its failure goes to `onError` and does not stop the queue. */
  run(key: string, task: () => Promise<void> | void, onError: (err: unknown) => void): void {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(task).catch(onError);
    this.tails.set(key, tail);
    // Forget the key once its last task is done, so the map holds only keys with work in flight.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /** Queues `task` behind the earlier tasks of `key` and answers its result (or its failure) to the caller. */
  submit<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.run(
        key,
        async () => resolve(await task()),
        (err) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  /** Keys with queued or running tasks. */
  get pendingKeys(): number {
    return this.tails.size;
  }
}
