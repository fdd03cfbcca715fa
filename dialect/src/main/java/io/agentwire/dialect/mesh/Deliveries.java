package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.transport.socketio.Namespace;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server events to rooms in both vocabularies: the document's event to the {@code :s} rooms, the real one (in its
 * envelope) to the {@code :r} rooms — a socket is in one of the two, so it gets the event once. Deliveries to a
 * channel are chained per channel (the next starts once the previous is on the namespace's core stream), so every
 * member of a channel sees its messages in one order, whichever vocabulary it speaks, and a reconnecting member
 * recovers the ones it missed from that stream.
 */
final class Deliveries {
    private final Namespace ns;
    private final Map<String, CompletableFuture<?>> chains = new ConcurrentHashMap<>();

    Deliveries(Namespace ns) {
        this.ns = ns;
    }

    /** To the member rooms {@code bases} ({@code ag:<id>}, {@code us:<id>}, {@code ch:<id>}). */
    CompletableFuture<?> to(Collection<String> bases, String specEvent, ObjectNode spec, String realEvent, ObjectNode real) {
        if (bases.isEmpty()) return CompletableFuture.completedFuture(null);
        CompletableFuture<?> first = specEvent == null ? CompletableFuture.completedFuture(null)
                : ns.to(bases.stream().map(b -> b + ":s").toArray(String[]::new)).emit(specEvent, spec);
        return first.thenCompose(x -> realEvent == null ? CompletableFuture.completedFuture(null)
                : ns.to(bases.stream().map(b -> b + ":r").toArray(String[]::new)).emit(realEvent, real));
    }

    /** To every member of a channel, after the channel's earlier deliveries. */
    CompletableFuture<?> channel(String channelId, String specEvent, ObjectNode spec, String realEvent, ObjectNode real) {
        return inOrder(channelId, () -> to(java.util.List.of("ch:" + channelId), specEvent, spec, realEvent, real));
    }

    /** Runs {@code step} after the channel's earlier deliveries (e.g. one emit per recipient). */
    CompletableFuture<?> inOrder(String channelId, java.util.function.Supplier<CompletableFuture<?>> step) {
        CompletableFuture<?>[] mine = new CompletableFuture<?>[1];
        chains.compute(channelId, (k, prev) -> {
            CompletableFuture<?> start = prev == null ? CompletableFuture.completedFuture(null) : prev;
            mine[0] = start.handle((x, e) -> null).thenCompose(x -> step.get());
            return mine[0];
        });
        CompletableFuture<?> done = mine[0];
        done.whenComplete((x, e) -> chains.remove(channelId, done));
        return done;
    }
}
