// Lua run atomically in Redis, so concurrent nodes agree on who joined and left the cluster.
//
// Keys share one hash tag (one slot). Per prefix P:
//   P nodes        ZSET  nodeId -> deadline (ms, Redis clock): a node missing it is dead
//   P node:<id>    HASH  userId -> user JSON, the users with a socket on that node
//   P refs         HASH  userId -> how many nodes have the user
//   P users        HASH  userId -> user JSON, everyone online in the cluster
// A user joins when refs goes 0 -> 1 and leaves at 1 -> 0; each such change is published as
// a `{"joined":[...],"left":[...],"count":n}` JSON message on the changes channel.

/** Shared helpers: ARGV[1] prefix, ARGV[2] channel. */
const PRELUDE = `
local P, CHANNEL = ARGV[1], ARGV[2]
local joined, left = {}, {}
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function add(node, uid, json)
  if redis.call('HSETNX', P .. 'node:' .. node, uid, json) == 0 then return end
  if redis.call('HINCRBY', P .. 'refs', uid, 1) == 1 then
    redis.call('HSET', P .. 'users', uid, json)
    table.insert(joined, json)
  end
end
local function remove(node, uid)
  local json = redis.call('HGET', P .. 'node:' .. node, uid)
  if not json then return end
  redis.call('HDEL', P .. 'node:' .. node, uid)
  if redis.call('HINCRBY', P .. 'refs', uid, -1) <= 0 then
    redis.call('HDEL', P .. 'refs', uid)
    redis.call('HDEL', P .. 'users', uid)
    table.insert(left, json)
  end
end
local function drop_node(node)
  local entries = redis.call('HGETALL', P .. 'node:' .. node)
  for i = 1, #entries, 2 do remove(node, entries[i]) end
  redis.call('DEL', P .. 'node:' .. node)
  redis.call('ZREM', P .. 'nodes', node)
end
local function alive(node, ttl)
  return redis.call('ZADD', P .. 'nodes', now_ms() + ttl, node)
end
local function publish()
  if #joined + #left > 0 then
    local count = redis.call('HLEN', P .. 'users')
    redis.call('PUBLISH', CHANNEL, '{"joined":[' .. table.concat(joined, ',') ..
      '],"left":[' .. table.concat(left, ',') .. '],"count":' .. count .. '}')
  end
end
`;

/**
 * ARGV[3] node, ARGV[4] ttl, ARGV[5] userId, ARGV[6] user JSON. Returns 1 when the node was
 * not registered (swept while alive): its other users need a resync.
 */
export const ADD_USER = `${PRELUDE}
local unknown = alive(ARGV[3], tonumber(ARGV[4]))
add(ARGV[3], ARGV[5], ARGV[6])
publish()
return unknown`;

/** ARGV[3] node, ARGV[4] userId. */
export const REMOVE_USER = `${PRELUDE}
remove(ARGV[3], ARGV[4])
publish()
return #left`;

/**
 * An online user's JSON replaced, in the cluster's list and in this node's entry; nobody
 * joins or leaves. ARGV[3] node, ARGV[4] userId, ARGV[5] user JSON.
 */
export const UPDATE_USER = `${PRELUDE}
local uid, json = ARGV[4], ARGV[5]
if redis.call('HEXISTS', P .. 'users', uid) == 1 then redis.call('HSET', P .. 'users', uid, json) end
local node = P .. 'node:' .. ARGV[3]
if redis.call('HEXISTS', node, uid) == 1 then redis.call('HSET', node, uid, json) end
return 0`;

/** ARGV[3] node, ARGV[4] ttl. Returns 1 when the node was not registered (new or swept). */
export const HEARTBEAT = `${PRELUDE}
return alive(ARGV[3], tonumber(ARGV[4]))`;

/**
 * Makes the node's entry exactly the given users (pairs of userId, JSON from ARGV[5]):
 * repairs what a failed command or a Redis restart lost. ARGV[3] node, ARGV[4] ttl.
 */
export const SYNC_NODE = `${PRELUDE}
local node = ARGV[3]
alive(node, tonumber(ARGV[4]))
local want = {}
for i = 5, #ARGV, 2 do want[ARGV[i]] = ARGV[i + 1] end
local have = redis.call('HKEYS', P .. 'node:' .. node)
for _, uid in ipairs(have) do
  if not want[uid] then remove(node, uid) end
end
for uid, json in pairs(want) do add(node, uid, json) end
publish()
return #joined + #left`;

/** Removes every node whose deadline has passed; or only ARGV[3] when given (clean exit). */
export const SWEEP = `${PRELUDE}
local dead = {}
if ARGV[3] then dead = { ARGV[3] } else
  dead = redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', now_ms())
end
for _, node in ipairs(dead) do drop_node(node) end
publish()
return #dead`;
