import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

type ScriptCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script run as an ioredis custom command (`defineCommand`): ioredis sends the body once per connection and
 * EVALSHA after that, and sends the body again when Redis answers NOSCRIPT (a restart, SCRIPT FLUSH). The body
 * (0.5–1 KB) so crosses the wire once, not on every call: the recorder-command path, every relayed desktop request
 * and every password check run one. Defined on each connection the first time it runs there.
 */
export class LuaScript {
  private readonly name: string;
  private readonly definedOn = new WeakSet<Redis>();

  constructor(readonly body: string) {
    this.name = `rws_${createHash('sha1').update(body).digest('hex').slice(0, 16)}`;
  }

  run(redis: Redis, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown> {
    if (!this.definedOn.has(redis)) {
      redis.defineCommand(this.name, { lua: this.body });
      this.definedOn.add(redis);
    }
    return (redis as unknown as Record<string, ScriptCommand>)[this.name](numberOfKeys, ...args);
  }
}
