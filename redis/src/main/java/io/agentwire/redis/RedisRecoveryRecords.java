package io.agentwire.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.RecoveryRecords;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecoveryRecords} in Redis: one key per record with the record's time to live ({@code SET … PX}), taken
 * with {@code GETDEL} so exactly one node gets it.
 */
final class RedisRecoveryRecords implements RecoveryRecords {
    private static final Logger log = LoggerFactory.getLogger(RedisRecoveryRecords.class);

    private final RedisCluster cluster;
    private final Keys keys;

    RedisRecoveryRecords(RedisCluster cluster, Keys keys) {
        this.cluster = cluster;
        this.keys = keys;
    }

    @Override
    public void put(String scope, String key, JsonNode record, Duration ttl) {
        String value = Entries.json(record);
        cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> r.set(keys.recovery(scope, key), value,
                SetArgs.Builder.px(Math.max(1, ttl.toMillis()))).toCompletableFuture()).whenComplete((ok, e) -> {
                    if (e != null) log.warn("recovery record {} of {} not stored: {}", key, scope, e.getMessage());
                });
    }

    @Override
    public CompletableFuture<JsonNode> take(String scope, String key) {
        return cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> r.getdel(keys.recovery(scope, key)).toCompletableFuture())
                .handle((value, e) -> {
                    if (e != null) {
                        log.warn("recovery record {} of {} not read: {}", key, scope, e.getMessage());
                        return null;
                    }
                    try {
                        return value == null ? null : Entries.parse(value);
                    } catch (RuntimeException bad) {
                        return null;
                    }
                });
    }
}
