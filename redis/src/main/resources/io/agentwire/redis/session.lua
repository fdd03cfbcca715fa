-- Session records. KEYS[1] the session's hash, KEYS[2] the expiry sorted set, KEYS[3] the owner's open sessions
-- (a sorted set by expiry; unused by ack).
-- create/update: ARGV = op, id, owner, created ms, expires ms, status, acked seq, metadata JSON, max open, now ms
-- ack: ARGV = op, id, seq.  Returns 1 when the record was written, 0 when it did not exist (or, for create, did),
-- -1 (create) when the owner already has the maximum of open, unexpired sessions.
local op = ARGV[1]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if op == 'create' then
  if exists then return {0} end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[10])
  if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[9]) then return {-1} end
elseif not exists then
  return {0}
end
if op == 'ack' then
  local acked = tonumber(redis.call('HGET', KEYS[1], 'acked') or '0')
  if tonumber(ARGV[3]) > acked then redis.call('HSET', KEYS[1], 'acked', ARGV[3]) end
  return {1}
end
local acked = ARGV[7]
if exists then
  local stored = redis.call('HGET', KEYS[1], 'acked')
  if stored and tonumber(stored) > tonumber(acked) then acked = stored end
end
redis.call('HSET', KEYS[1], 'owner', ARGV[3], 'created', ARGV[4], 'expires', ARGV[5], 'status', ARGV[6],
  'acked', acked, 'metadata', ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2])
if ARGV[6] == 'OPEN' then
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2]) -- purge.lua removes it with the session
else
  redis.call('ZREM', KEYS[3], ARGV[2])
end
return {1}
