package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Delegates everything to another broker; tests override one method to inject a fault. */
class ForwardingBroker implements Broker {
    private final Broker delegate;

    ForwardingBroker(Broker delegate) { this.delegate = delegate; }

    @Override public void onDelivery(Consumer<Publication> delivery) { delegate.onDelivery(delivery); }
    @Override public CompletableFuture<Publication> publish(String stream, JsonNode data) { return delegate.publish(stream, data); }
    @Override public CompletableFuture<Publication> append(Publication committed) { return delegate.append(committed); }
    @Override public CompletableFuture<History> history(String stream, StreamPosition since, int limit) { return delegate.history(stream, since, limit); }
    @Override public CompletableFuture<StreamPosition> top(String stream) { return delegate.top(stream); }
    @Override public void retainWhile(java.util.function.Predicate<String> inUse) { delegate.retainWhile(inUse); }
    @Override public void close() { delegate.close(); }
}
