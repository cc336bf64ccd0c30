import { LuaScript } from '../lua-script';

/** Key and channel names of recorder routing (all under `rws:`), for one node. */
export class RoutingKeys {
  readonly commandChannel: string;
  readonly reportChannel: string;

  constructor(nodeId: string) {
    this.commandChannel = this.commandChannelOf(nodeId);
    this.reportChannel = this.reportChannelOf(nodeId);
  }

  presence(agentKey: string): string {
    return `rws:recorder-at:${agentKey}`;
  }

  desired(agentKey: string): string {
    return `rws:recorder-desired:${agentKey}`;
  }

  /** The recordings the agent's recorder was told to stop lately, on any node (a set). */
  stopped(agentKey: string): string {
    return `rws:recorder-stopped:${agentKey}`;
  }

  /** numkeys and KEYS of PUBLISH_DESIRED. */
  forPublish(agentKey: string): [number, string, string, string] {
    return [3, `rws:recorder-seq:${agentKey}`, this.desired(agentKey), this.presence(agentKey)];
  }

  commandChannelOf(nodeId: string): string {
    return `rws:recorder-commands:${nodeId}`;
  }

  reportChannelOf(nodeId: string): string {
    return `rws:recorder-reports:${nodeId}`;
  }
}

/** A day: a sequence outlives any call, and lapses once nobody uses it. */
const SEQ_TTL_MS = 86_400_000;

/**
 * The home publishes one change of an agent's desired state, atomically: next seq (a new sequence starts at
 * Redis's time in µs: above every seq of an earlier sequence that had fewer changes than µs it lasted), the snapshot key, and —
 * when the agent's recorder is on another node — the message on that node's channel. Atomic is what makes a
 * recorder node that reads the key (hello, gap, reconnect) never miss a message newer than what it read.
 * KEYS: seq, desired, presence. ARGV: home node id, snapshot JSON, command JSON (or `null`), desired TTL ms,
 * agent key. Returns {seq, recorder node or ''}.
 */
export const PUBLISH_DESIRED = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- A new sequence starts above any earlier one of the agent (Redis lost its data, or the key lapsed): from
  -- Redis's clock in µs-sized steps, so a recorder node never takes a new change for an old duplicate.
  local t = redis.call('TIME')
  redis.call('SET', KEYS[1], t[1] .. string.format('%06d', tonumber(t[2])))
end
-- Formatted with %d: Lua's own number-to-string would print a 16-digit seq in exponent notation.
local seq = string.format('%d', redis.call('INCR', KEYS[1]))
redis.call('PEXPIRE', KEYS[1], ${SEQ_TTL_MS})
local home = cjson.encode(ARGV[1])
redis.call('SET', KEYS[2], '{"seq":' .. seq .. ',"home":' .. home .. ',"snapshot":' .. ARGV[2] .. '}', 'PX', ARGV[4])
local at = redis.call('GET', KEYS[3])
if at and at ~= ARGV[1] then
  redis.call('PUBLISH', 'rws:recorder-commands:' .. at,
    '{"agentKey":' .. cjson.encode(ARGV[5]) .. ',"seq":' .. seq .. ',"home":' .. home .. ',"snapshot":' .. ARGV[2] .. ',"command":' .. ARGV[3] .. '}')
end
return {tonumber(seq), at or ''}
`);

/** Refreshes the presence keys still held by this node (or lapsed); never takes one another node holds. ARGV: node id, TTL ms. */
export const REFRESH_PRESENCE = `
for _, key in ipairs(KEYS) do
  local at = redis.call('GET', key)
  if not at or at == ARGV[1] then redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
end
return #KEYS
`;

/** Deletes a presence key only if this node holds it. ARGV: node id. */
export const RELEASE_PRESENCE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
