-- Registers or replaces a tool: definition, embedding and update time; its first registration time is kept; the
-- tool joins the index (by first registration) and the registry's version + 1.
-- KEYS: tool hash, index (sorted set), version. ARGV: name, definition JSON, embedding (base64), now (ms).
redis.call('HSET', KEYS[1], 'def', ARGV[2], 'emb', ARGV[3], 'updated', ARGV[4])
redis.call('HSETNX', KEYS[1], 'created', ARGV[4])
redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[1])
redis.call('INCR', KEYS[3])
return {}
