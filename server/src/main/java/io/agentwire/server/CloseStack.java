package io.agentwire.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server has opened, closed in reverse order. A failing close is logged and the next one still runs, so a
 * half-started server and a running one are torn down the same way.
 */
final class CloseStack {
    private static final Logger log = LoggerFactory.getLogger(CloseStack.class);

    private final Deque<Entry> entries = new ArrayDeque<>();

    private record Entry(String name, AutoCloseable closer) { }

    /** Registers {@code resource} (closed with {@code close()}) and returns it. */
    <T extends AutoCloseable> T push(String name, T resource) {
        entries.push(new Entry(name, resource));
        return resource;
    }

    /** Registers a close action under {@code name}. */
    void onClose(String name, AutoCloseable action) {
        entries.push(new Entry(name, action));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Closes everything, last pushed first; returns whether every close succeeded. */
    boolean closeAll() {
        boolean clean = true;
        while (!entries.isEmpty()) {
            Entry e = entries.pop();
            try {
                e.closer().close();
            } catch (Exception | LinkageError ex) {
                clean = false;
                log.warn("closing {} failed", e.name(), ex);
            }
        }
        return clean;
    }
}
