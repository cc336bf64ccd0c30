import { LuaScript } from '../lua-script';

/** Redis keys and scripts of the one-home-per-agent design (docs/cluster.md). Every key lapses by itself. */

export const NODE_PREFIX = 'rws:node:';
export const HOME_PREFIX = 'rws:agent-home:';
export const SESSION_PREFIX = 'rws:agent-session:';

/** A node that stops refreshing its presence is dead for the others after this. */
export const NODE_TTL_MS = 3_000;
/** An agent's home claim lapses this long after its home stopped refreshing it. */
export const HOME_TTL_MS = 5_000;
/** A session record outlives its home long enough for another node to take it over. */
export const SESSION_TTL_MS = 60_000;
/**
 * After its Redis connection (re)opens, a node claims no agent it does not already hold for this long: a Redis
 * that restarted empty first gets every home's own claims back (each home re-claims on its next tick).
 */
export const RECLAIM_GRACE_MS = 2_500;
/** Presence, claims and the look for orphaned sessions are refreshed this often. */
export const TICK_MS = 1_000;

/** What a node's presence key holds. */
export interface NodePresenceRecord {
  url: string;
  startedAt: number;
}

/**
 * Resolves (and if free, claims) an agent's home in one atomic step, so racing nodes agree on one winner.
 * KEYS[1] home key; ARGV: this node, home TTL, node key prefix, '1' to claim a free home ('0': only look).
 * Answers {'here'} · {'elsewhere', presence JSON, node} · {'claimed'} (nobody held it) · {'taken', dead node}
 * · {'free'} (nobody holds it and ARGV[4] said only look).
 */
export const RESOLVE_HOME = new LuaScript(`
local home = redis.call('GET', KEYS[1])
if home == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'here'}
end
if home then
  local presence = redis.call('GET', ARGV[3] .. home)
  if presence then return {'elsewhere', presence, home} end
end
if ARGV[4] ~= '1' then return {'free'} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if home then return {'taken', home} end
return {'claimed'}
`);

/**
 * The home's refresh of all its claims at once. KEYS home keys; ARGV: this node, home TTL. A lapsed claim is
 * taken again (nobody else took it meanwhile); answers the 1-based indexes of claims another node holds now.
 */
export const REFRESH_HOMES = `
local lost = {}
for i, key in ipairs(KEYS) do
  local home = redis.call('GET', key)
  if home == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
  elseif not home then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else
    table.insert(lost, i)
  end
end
return lost
`;
