-- Reads a stream's top, epoch and up to ARGV[2] entries after offset ARGV[1], with Redis' clock, in one step.
-- KEYS[1] meta hash, KEYS[2] Redis Stream.  Returns {top, epoch ('' if unknown), now ms, entries}.
local r = redis.call('HMGET', KEYS[1], 'top', 'epoch')
local t = redis.call('TIME')
local now = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
if not r[2] then
  return {0, '', now, {}}
end
local top = tonumber(r[1] or '0')
local since = tonumber(ARGV[1])
local count = math.min(top - since, tonumber(ARGV[2]))
local entries = {}
if count > 0 then
  entries = redis.call('XRANGE', KEYS[2], string.format('%d-0', since + 1), '+', 'COUNT', count)
end
return {top, r[2], now, entries}
