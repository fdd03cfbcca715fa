package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.Broker;
import io.agentwire.core.History;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A memory broker whose history answers arrive late, on another thread (as a remote broker's would), while
 * publications go on: a recovering socket then holds live events while its replay is under way.
 */
final class SlowHistoryBroker implements Broker {
    private final MemoryBroker delegate = new MemoryBroker(NodeConfig.DEFAULT.history());
    private final Duration delay;

    SlowHistoryBroker(Duration delay) {
        this.delay = delay;
    }

    @Override public void onDelivery(Consumer<Publication> delivery) { delegate.onDelivery(delivery); }
    @Override public CompletableFuture<Publication> publish(String stream, JsonNode data) { return delegate.publish(stream, data); }
    @Override public CompletableFuture<Publication> append(Publication committed) { return delegate.append(committed); }
    @Override public CompletableFuture<StreamPosition> top(String stream) { return delegate.top(stream); }
    @Override public void close() { delegate.close(); }

    @Override
    public CompletableFuture<History> history(String stream, StreamPosition since, int limit) {
        return delegate.history(stream, since, limit).thenApplyAsync(h -> h,
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }
}
