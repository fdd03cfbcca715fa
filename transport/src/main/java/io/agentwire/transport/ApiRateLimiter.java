package io.agentwire.transport;

import io.agentwire.core.TokenBucket;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client address for the HTTP API. At most {@link #MAX_CLIENTS} addresses get a bucket of their
 * own; beyond that (an attacker spreading over many addresses) they share one, so memory stays bounded. Buckets that
 * have refilled are dropped by {@link #forgetIdle}. Thread-safe (a bucket is used under its own lock).
 */
final class ApiRateLimiter {
    static final int MAX_CLIENTS = 10_000;
    private static final String SHARED = "*";

    private final double perSecond;
    private final int burst;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    ApiRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes one token for {@code client}; returns 0 if granted, else the whole seconds until one is available (≥ 1). */
    long acquire(String client) {
        if (perSecond <= 0) return 0;
        String key = buckets.size() >= MAX_CLIENTS && !buckets.containsKey(client) ? SHARED : client;
        TokenBucket bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst));
        synchronized (bucket) {
            if (bucket.tryAcquire()) return 0;
            return Math.max(1, (bucket.retryAfterMillis() + 999) / 1_000);
        }
    }

    /** Drops the buckets that are full again (their clients went quiet). */
    void forgetIdle() {
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return b.full();
            }
        });
    }
}
