import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script called by its SHA-1 (EVALSHA), so that its body (0.5–1 KB) crosses the wire once, not on every
 * call: the recorder-command path, every relayed desktop request and every password check run one. A Redis that
 * has lost its script cache (restart, SCRIPT FLUSH) answers NOSCRIPT, and that call is made once with the body,
 * which caches it again.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(readonly body: string) {
    this.sha = createHash('sha1').update(body).digest('hex');
  }

  async run(redis: Redis, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, numberOfKeys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.body, numberOfKeys, ...args);
    }
  }
}
