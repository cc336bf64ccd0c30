import { randomUUID } from 'node:crypto';
import { AttemptAdmission, AttemptOutcome, AttemptScope, AttemptTicket, LoginAttempts } from '../identity/authentication/login-attempts';
import { ClusterRedis } from './cluster-redis';
import { LuaScript } from './lua-script';

/** Same policy as InMemoryLoginAttempts: 1 s, 2 s, 4 s … locks once past the threshold, capped. */
const BASE_LOCK_MS = 1_000;
const MAX_LOCK_MS = 15 * 60_000;
/** A scope with no failure for this long is forgotten (the key's TTL). */
const IDLE_FORGET_MS = 60 * 60_000;
/** An in-flight reservation whose node never finished it (the node died mid-check) stops counting after this. */
const RESERVATION_MS = 30_000;
const PREFIX = 'rws:login:';

/**
 * Per scope: a hash `{f: failures, l: locked until (ms)}` and a sorted set of in-flight tickets scored by when
 * they lapse. Time is Redis's own clock (TIME), so nodes with skewed clocks agree. Each call is one script,
 * which is what makes `begin` atomic over its scopes across the cluster.
 */
const BEGIN = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local base = tonumber(ARGV[2])
local blocked = 0
for i, key in ipairs(KEYS) do
  local threshold = tonumber(ARGV[3 + i])
  local flight = key .. ':inflight'
  redis.call('ZREMRANGEBYSCORE', flight, '-inf', now)
  local inflight = redis.call('ZCARD', flight)
  local failures = tonumber(redis.call('HGET', key, 'f') or '0')
  local locked = tonumber(redis.call('HGET', key, 'l') or '0')
  local untilMs = 0
  if locked > now then
    untilMs = locked
  elseif not (failures + inflight < threshold or (failures >= threshold and inflight == 0)) then
    untilMs = math.max(now + base, locked)
  end
  if untilMs > blocked then blocked = untilMs end
end
if blocked > 0 then
  return {0, math.max(1, math.ceil((blocked - now) / 1000))}
end
local reserve = tonumber(ARGV[3])
for _, key in ipairs(KEYS) do
  local flight = key .. ':inflight'
  redis.call('ZADD', flight, now + reserve, ARGV[1])
  redis.call('PEXPIRE', flight, reserve)
end
return {1, 0}
`);

const FINISH = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local outcome = ARGV[2]
local base, maxLock, idle = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local n = #KEYS
for i, key in ipairs(KEYS) do
  local threshold = tonumber(ARGV[5 + i])
  local resetOnSuccess = ARGV[5 + n + i] == '1'
  redis.call('ZREM', key .. ':inflight', ARGV[1])
  if outcome == 'failure' then
    local failures = redis.call('HINCRBY', key, 'f', 1)
    if failures >= threshold then
      local lock = now + math.min(base * 2 ^ math.min(failures - threshold, 20), maxLock)
      local locked = tonumber(redis.call('HGET', key, 'l') or '0')
      if lock > locked then redis.call('HSET', key, 'l', lock) end
    end
    redis.call('PEXPIRE', key, idle)
  elseif outcome == 'success' and resetOnSuccess then
    redis.call('DEL', key)
  end
end
return 1
`);

interface RedisTicket extends AttemptTicket {
  id: string;
}

/** The LoginAttempts port on the cluster's Redis: a lockout counts attempts made on every node. */
export class RedisLoginAttempts extends LoginAttempts {
  constructor(private readonly redis: ClusterRedis) {
    super();
  }

  async begin(scopes: AttemptScope[]): Promise<AttemptAdmission> {
    const id = randomUUID();
    const keys = scopes.map((s) => PREFIX + s.key);
    const args = [id, BASE_LOCK_MS, RESERVATION_MS, ...scopes.map((s) => s.threshold)];
    const [admitted, retryAfterSeconds] = (await this.redis.run((r) => BEGIN.run(r, keys.length, ...keys, ...args))) as [number, number];
    if (!admitted) return { admitted: false, retryAfterSeconds };
    const ticket: RedisTicket = { scopes: [...scopes], id };
    return { admitted: true, ticket };
  }

  async finish(ticket: AttemptTicket, outcome: AttemptOutcome): Promise<void> {
    const { scopes, id } = ticket as RedisTicket;
    const keys = scopes.map((s) => PREFIX + s.key);
    const args = [id, outcome, BASE_LOCK_MS, MAX_LOCK_MS, IDLE_FORGET_MS, ...scopes.map((s) => s.threshold), ...scopes.map((s) => (s.resetOnSuccess ? '1' : '0'))];
    await this.redis.run((r) => FINISH.run(r, keys.length, ...keys, ...args));
  }
}
