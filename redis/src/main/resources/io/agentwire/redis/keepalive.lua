-- Keeps an idle stream whose keys expire (an ephemeral stream) alive for ARGV[1] more ms; durable streams, whose
-- keys never expire, are left alone. KEYS: the stream's keys.
for _, k in ipairs(KEYS) do
  if redis.call('PTTL', k) > 0 then redis.call('PEXPIRE', k, ARGV[1]) end
end
return {}
