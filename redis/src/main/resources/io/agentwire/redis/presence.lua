-- The presence entries of every live node of one scope. KEYS[1] the scope's set of node ids; ARGV[1] the prefix
-- of the entries' keys (an entry is PREFIX .. node id). Entries that expired (their node died) leave the set.
local nodes = redis.call('SMEMBERS', KEYS[1])
local out = {}
for _, node in ipairs(nodes) do
  local v = redis.call('GET', ARGV[1] .. node)
  if v then
    out[#out + 1] = v
  else
    redis.call('SREM', KEYS[1], node)
  end
end
return out
