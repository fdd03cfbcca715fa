-- Records one execution of a tool atomically: usage + 1, the outcome in the tool's last 50, the execution (with a
-- new id) in its session's list, and the registry's version + 1.
-- KEYS: tool hash, tool's last outcomes, session's executions, execution id sequence, version.
-- ARGV: success (1|0), the execution as JSON.
redis.call('HINCRBY', KEYS[1], 'usage', 1)
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, 49)
local id = redis.call('INCR', KEYS[4])
redis.call('RPUSH', KEYS[3], id .. ' ' .. ARGV[2])
redis.call('INCR', KEYS[5])
return {id}
