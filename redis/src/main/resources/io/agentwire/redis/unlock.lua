-- Releases a lock if this holder (ARGV[1]) still holds it. KEYS: the lock.
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return {}
