package io.agentwire.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Helpers shared by the store tests. */
final class Fixtures {
    private Fixtures() { }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code {"key": value}} as the tree a parser would produce for it. */
    static JsonNode json(String key, Object value) {
        return MAPPER.valueToTree(Map.of(key, value));
    }

    static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Asserts that the future failed with an {@link AgentWireException} of the given code; returns it. */
    static AgentWireException failure(CompletableFuture<?> f, ErrorCode code) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("future did not fail");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(AgentWireException.class);
            AgentWireException awe = (AgentWireException) e.getCause();
            assertThat(awe.code()).isEqualTo(code);
            return awe;
        }
    }

    /**
     * A commit listener that holds the writer thread inside its first call until {@link #open()}: appends made
     * meanwhile wait in the queue, which makes batching and back-pressure deterministic.
     */
    static final class Gate implements Consumer<Publication> {
        final List<Publication> seen = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        @Override
        public void accept(Publication p) {
            seen.add(p);
            if (entered.getCount() > 0) {
                entered.countDown();
                await(opened);
            }
        }

        /** Waits until the writer is held inside the listener. */
        void awaitHeld() {
            await(entered);
        }

        void open() {
            opened.countDown();
        }

        private static void await(CountDownLatch latch) {
            try {
                // a safety net so that a broken store fails the test instead of hanging the build
                if (!latch.await(60, TimeUnit.SECONDS)) throw new AssertionError("gate not reached");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
