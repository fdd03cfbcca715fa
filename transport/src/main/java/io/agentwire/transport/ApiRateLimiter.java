package io.agentwire.transport;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client address for the HTTP API. At most {@link #MAX_CLIENTS} addresses get a bucket of their
 * own; beyond that (an attacker spreading over many addresses) they share one, so memory stays bounded. Buckets that
 * have refilled are dropped by {@link #forgetIdle}.
 */
final class ApiRateLimiter {
    static final int MAX_CLIENTS = 10_000;
    private static final String SHARED = "*";

    private final double perSecond;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    ApiRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    boolean enabled() {
        return perSecond > 0;
    }

    /** Takes one token for {@code client}; returns 0 if granted, else the seconds until one is available (≥ 1). */
    long acquire(String client, long nowNanos) {
        if (!enabled()) return 0;
        String key = buckets.size() >= MAX_CLIENTS && !buckets.containsKey(client) ? SHARED : client;
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos)).take(nowNanos, perSecond, burst);
    }

    /** Drops the buckets that are full again (their clients went quiet). */
    void forgetIdle(long nowNanos) {
        buckets.entrySet().removeIf(e -> e.getValue().full(nowNanos, perSecond, burst));
    }

    int clients() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(int burst, long now) {
            tokens = burst;
            at = now;
        }

        synchronized long take(long now, double perSecond, int burst) {
            refill(now, perSecond, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized boolean full(long now, double perSecond, int burst) {
            refill(now, perSecond, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perSecond, int burst) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
        }
    }
}
