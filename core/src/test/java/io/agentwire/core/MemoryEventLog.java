package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * An in-memory {@link EventLog} with the real log's threading contract (offsets assigned on one writer thread,
 * commit listener called in order before the future completes, small batches), for core tests. The SQLite log
 * is tested against the same contract in the store module.
 */
public final class MemoryEventLog implements EventLog {
    private record Pending(String stream, JsonNode data, CompletableFuture<Publication> future) { }

    private final String epoch = Ids.random(8);
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, List<Publication>> streams = new HashMap<>();
    private final Thread writer;
    private volatile Consumer<Publication> listener = p -> { };
    private volatile boolean closed;

    public MemoryEventLog() {
        writer = Thread.ofPlatform().daemon().name("memory-log-writer").start(this::writeLoop);
    }

    private void writeLoop() {
        try {
            while (!closed || !queue.isEmpty()) {
                Pending first = queue.take();
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, 63);
                List<Publication> committed = new ArrayList<>();
                synchronized (streams) {
                    for (Pending p : batch) {
                        List<Publication> s = streams.computeIfAbsent(p.stream(), k -> new ArrayList<>());
                        Publication pub = new Publication(p.stream(), s.size() + 1L, epoch, System.currentTimeMillis(), p.data());
                        s.add(pub);
                        committed.add(pub);
                    }
                }
                for (Publication pub : committed) listener.accept(pub);
                for (int i = 0; i < batch.size(); i++) batch.get(i).future().complete(committed.get(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override public void onCommit(Consumer<Publication> l) { listener = l; }

    @Override
    public CompletableFuture<Publication> append(String stream, JsonNode data) {
        CompletableFuture<Publication> f = new CompletableFuture<>();
        if (closed) f.completeExceptionally(new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "closed"));
        else queue.add(new Pending(stream, data, f));
        return f;
    }

    @Override
    public List<Publication> read(String stream, long afterOffset, int limit) {
        synchronized (streams) {
            List<Publication> s = streams.getOrDefault(stream, List.of());
            int from = (int) Math.min(afterOffset, s.size());
            return List.copyOf(s.subList(from, Math.min(s.size(), from + limit)));
        }
    }

    @Override
    public StreamPosition top(String stream) {
        synchronized (streams) {
            return new StreamPosition(streams.getOrDefault(stream, List.of()).size(), epoch);
        }
    }

    @Override public String epoch() { return epoch; }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
    }
}
