-- Takes the runs of every node whose liveness key expired (the node died), once: returns them as
-- 'SESSION RUN' strings and forgets the node. KEYS[1] the set of nodes; ARGV[1] key prefix; ARGV[2] this node.
local out = {}
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if node ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. ':node:' .. node) == 0 then
    for _, r in ipairs(redis.call('HKEYS', ARGV[1] .. ':runs:' .. node)) do out[#out + 1] = r end
    redis.call('DEL', ARGV[1] .. ':runs:' .. node)
    redis.call('SREM', KEYS[1], node)
  end
end
return out
