-- Deletes up to ARGV[3] sessions that expired at or before ARGV[1] (ms), with their streams' keys.
-- KEYS[1] the expiry sorted set; ARGV[2] the key prefix.  Returns how many were deleted.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local owner = redis.call('HGET', ARGV[2] .. ':session:' .. id, 'owner')
  if owner then redis.call('ZREM', ARGV[2] .. ':sessions:open:' .. owner, id) end
  redis.call('DEL', ARGV[2] .. ':session:' .. id, ARGV[2] .. ':{session:' .. id .. '}:m',
    ARGV[2] .. ':{session:' .. id .. '}:x')
  redis.call('ZREM', KEYS[1], id)
end
return {#ids}
