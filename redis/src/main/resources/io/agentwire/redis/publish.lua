-- Publishes one publication of a stream, atomically: assigns its offset (or takes the one a durable log gave),
-- appends it to the stream's Redis Stream and PUBLISHes it on the fan-out channel. Redis runs a script alone, so
-- the channel carries every stream in offset order, whichever node published.
--
-- KEYS[1] meta hash, KEYS[2] Redis Stream, KEYS[3] the durable log's epoch key
-- ARGV[1] payload (JSON)   ARGV[2] channel   ARGV[3] stream name   ARGV[4] MAXLEN (0: keep all)
-- ARGV[5] idle expiry ms (0: never)   ARGV[6] epoch for a new stream   ARGV[7] 'log' | 'broker' | 'append'
-- ARGV[8] append: the offset   ARGV[9] append: the epoch   ARGV[10] append: the time (ms)
-- Returns {offset, epoch, time ms, published (1|0)}.
local meta, xs = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
local top = tonumber(redis.call('HGET', meta, 'top') or '0')
local t = redis.call('TIME')
local ms = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
local offset
if ARGV[7] == 'append' then
  offset = tonumber(ARGV[8])
  ms = ARGV[10]
  if epoch == ARGV[9] and offset <= top then
    return {offset, epoch, ms, 0}
  end
  if epoch ~= ARGV[9] or offset ~= top + 1 then
    redis.call('DEL', xs)
    epoch = ARGV[9]
    redis.call('HSET', meta, 'epoch', epoch)
  end
else
  if not epoch then
    if ARGV[7] == 'log' then
      epoch = redis.call('GET', KEYS[3])
      if not epoch then
        epoch = ARGV[6]
        redis.call('SET', KEYS[3], epoch)
      end
    else
      epoch = ARGV[6]
    end
    redis.call('DEL', xs)
    top = 0
    redis.call('HSET', meta, 'epoch', epoch)
  end
  offset = top + 1
end
redis.call('HSET', meta, 'top', offset)
local id = string.format('%d-0', offset)
if tonumber(ARGV[4]) > 0 then
  redis.call('XADD', xs, 'MAXLEN', ARGV[4], id, 't', ms, 'd', ARGV[1])
else
  redis.call('XADD', xs, id, 't', ms, 'd', ARGV[1])
end
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', meta, ARGV[5])
  redis.call('PEXPIRE', xs, ARGV[5])
end
redis.call('PUBLISH', ARGV[2], string.format('%d', offset) .. ':' .. epoch .. ':' .. ms .. ':' .. string.len(ARGV[3]) .. ':' .. ARGV[3] .. ARGV[1])
return {offset, epoch, ms, 1}
