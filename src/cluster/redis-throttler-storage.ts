import type { ThrottlerStorage } from '@nestjs/throttler';
import { ClusterRedis } from './cluster-redis';
import { LuaScript } from './lua-script';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const PREFIX = 'rws:rate:';

/**
 * One fixed window per key (`hits`, expiring `ttl` after its first hit) and a block key set once the hits pass
 * the limit. One script, so every node increments the same counter atomically: N nodes behind a balancer
 * give a source the limit once, not N times. Redis's own expiry keeps the nodes' clocks out of it.
 */
const INCREMENT = new LuaScript(`
local hits = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, redis.call('PTTL', KEYS[1]), blocked}
`);

/**
 * @nestjs/throttler's storage on the cluster's Redis (the per-source password-check rate limit). While Redis
 * cannot be reached an increment fails with 503 + Retry-After (ClusterRedis.run): like the lockout counters,
 * a limit counted on one node alone would multiply by the number of nodes.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: ClusterRedis) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${PREFIX}${throttlerName}:${key}`;
    const [hits, windowMs, blockedMs] = (await this.redis.run((r) => INCREMENT.run(r, 2, base, `${base}:blocked`, ttl, limit, blockDuration))) as [number, number, number];
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil(windowMs / 1000)),
      isBlocked: blockedMs > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(blockedMs / 1000)),
    };
  }
}
