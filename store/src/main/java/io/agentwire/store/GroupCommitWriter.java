package io.agentwire.store;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread ({@code aw-store-writer}) takes the oldest pending append, drains up to
 * {@code maxBatch - 1} more that are already queued, assigns their offsets and stores them in one transaction,
 * then, in queue order, hands each publication to the commit listener and completes its future. A failed
 * transaction stores nothing and assigns nothing: its futures fail and the streams' next offsets are re-read
 * from the database. The queue is bounded: when it is full, {@link #submit} fails at once and never blocks.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String INSERT = "INSERT INTO events (stream, offset, time_ms, data) VALUES (?, ?, ?, ?)";

    private final WriteConnection write;
    private final CommitMark mark;
    private final StreamTops tops;
    private final String epoch;
    private final int maxBatch;
    private final BlockingQueue<PendingAppend> queue;
    private final Thread thread;
    private final AtomicLong committedBatches = new AtomicLong();
    private volatile Consumer<Publication> listener = p -> { };
    private volatile boolean closed;
    private volatile boolean lastBatchFailed;

    GroupCommitWriter(WriteConnection write, StreamTops tops, String epoch, int maxBatch, int maxPending,
                      CommitMark mark) {
        this.write = write;
        this.mark = mark;
        this.tops = tops;
        this.epoch = epoch;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(maxPending);
        this.thread = Thread.ofPlatform().name("aw-store-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    void onCommit(Consumer<Publication> l) {
        listener = l;
    }

    /** Queues the append; its future completes after the commit (or fails). Never blocks. */
    void submit(PendingAppend p) {
        if (closed) {
            p.future.completeExceptionally(unavailable("the store is closed", null));
        } else if (!queue.offer(p)) {
            p.future.completeExceptionally(unavailable("store queue full", null));
        } else if (closed && queue.remove(p)) { // closed meanwhile: whoever takes p out of the queue completes it
            p.future.completeExceptionally(unavailable("the store is closed", null));
        }
    }

    long committedBatches() {
        return committedBatches.get();
    }

    boolean ready() {
        return !closed && thread.isAlive() && !lastBatchFailed;
    }

    private void run() {
        List<PendingAppend> batch = new ArrayList<>(maxBatch);
        while (true) {
            PendingAppend first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, and only once the queue is empty
            }
            if (first == null) {
                if (closed) return;
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            writeBatch(batch);
            batch.clear();
        }
    }

    private void writeBatch(List<PendingAppend> batch) {
        long[] offsets = new long[batch.size()];
        try {
            write.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (int i = 0; i < offsets.length; i++) {
                        PendingAppend p = batch.get(i);
                        offsets[i] = tops.next(c, p.stream);
                        ps.setString(1, p.stream);
                        ps.setLong(2, offsets[i]);
                        ps.setLong(3, p.timeMillis);
                        ps.setString(4, p.json);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                mark.count(c);
                return null;
            });
        } catch (Throwable t) { // the writer must survive anything, or every later append would hang
            fail(batch, t);
            return;
        }
        mark.committed();
        lastBatchFailed = false;
        committedBatches.incrementAndGet();
        Consumer<Publication> l = listener;
        for (int i = 0; i < offsets.length; i++) {
            PendingAppend p = batch.get(i);
            Publication pub = new Publication(p.stream, offsets[i], epoch, p.timeMillis, p.data);
            try {
                l.accept(pub);
            } catch (RuntimeException e) {
                log.error("commit listener failed for {}", pub, e);
            }
            p.future.complete(pub);
        }
    }

    private void fail(List<PendingAppend> batch, Throwable cause) {
        Set<String> streams = new HashSet<>();
        for (PendingAppend p : batch) streams.add(p.stream);
        tops.forget(streams); // the rolled-back transaction advanced them: re-read from the database
        lastBatchFailed = true;
        log.error("store write of a batch of {} appends failed and was rolled back", batch.size(), cause);
        AgentWireException e = unavailable("store write failed: " + cause.getMessage(), cause);
        for (PendingAppend p : batch) p.future.completeExceptionally(e);
    }

    private static AgentWireException unavailable(String message, Throwable cause) {
        return new AgentWireException(ErrorCode.STORE_UNAVAILABLE, message, cause);
    }

    /** Stops taking appends, writes every queued one, then stops the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() == thread) return; // called from a commit listener: the loop ends by itself
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<PendingAppend> late = new ArrayList<>();
        queue.drainTo(late); // raced with close(): never written, fail them rather than leave them hanging
        for (PendingAppend p : late) p.future.completeExceptionally(unavailable("the store is closed", null));
        if (interrupted) Thread.currentThread().interrupt();
    }
}
