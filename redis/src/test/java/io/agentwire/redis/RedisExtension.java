package io.agentwire.redis;

import io.agentwire.core.HistoryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link RedisServer} per test class ({@code @RegisterExtension static final RedisExtension REDIS = …}),
 * started again after a test that killed it; the clusters a test opens are closed after it.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisServer server;

    public RedisServer server() {
        return server;
    }

    /** A cluster node on this Redis under {@code prefix}, closed after the test. */
    public RedisCluster cluster(String prefix, HistoryConfig history, Duration heartbeat) {
        RedisCluster c = RedisCluster.open(RedisConfig.of(server.uri()).withKeyPrefix(prefix).withPresenceHeartbeat(heartbeat),
                history);
        closeAfter(c);
        return c;
    }

    /** Closes {@code c} after the test (in reverse order of registration). */
    public <T extends AutoCloseable> T closeAfter(T c) {
        synchronized (opened) {
            opened.add(c);
        }
        return c;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        synchronized (opened) {
            for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
            opened.clear();
        }
        if (!server.running()) server.restart();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }
}
