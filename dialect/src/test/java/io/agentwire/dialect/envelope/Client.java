package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) speaking envelopes, recording what it receives. */
final class Client implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    final List<JsonNode> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<int[]> closed = new CompletableFuture<>();
    volatile String closeReason;
    final WebSocket ws;
    private final boolean reading;
    private final StringBuilder partial = new StringBuilder();

    private Client(URI uri, boolean reading) {
        this.reading = reading;
        this.ws = HTTP.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    static Client connect(URI uri) { return new Client(uri, true); }

    /** A client that reads the first message and then stops reading (TCP back-pressure builds up). */
    static Client connectNotReading(URI uri) { return new Client(uri, false); }

    private final class Listener implements WebSocket.Listener {
        @Override public void onOpen(WebSocket w) { w.request(1); }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(partial.toString());
                    all.add(n); // before the inbox: a test that took n from the inbox finds it in all
                    inbox.add(n);
                } catch (Exception e) {
                    throw new AssertionError("server sent invalid JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            if (reading) w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closeReason = reason;
            closed.complete(new int[] {code});
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(new int[] {1006});
        }
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    void send(ObjectNode envelope) {
        send(envelope.toString());
    }

    static ObjectNode envelope(String event) {
        return JSON.createObjectNode().put("event", event);
    }

    /** The next message whose event matches, failing after 20 s (a guard, not a performance assertion). */
    JsonNode await(String event) throws InterruptedException {
        return await(n -> event.equals(n.path("event").asText()), event);
    }

    JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode n = inbox.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("timed out waiting for " + what + "; received " + all);
            if (p.test(n)) return n;
        }
    }

    /** Everything up to and including the next message matching {@code event}. */
    List<JsonNode> collectUntil(String event) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonNode n = inbox.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("timed out waiting for " + event + "; got " + out);
            out.add(n);
            if (event.equals(n.path("event").asText())) return out;
        }
    }

    /** Waits for system.connected, creates a session and returns its id (after checking seq 1). */
    String createSession() throws InterruptedException {
        await("system.connected");
        return newSession();
    }

    /** Creates a session on an already greeted connection and returns its id (after checking seq 1). */
    String newSession() throws InterruptedException {
        send(envelope("user.create_session"));
        JsonNode created = await("agent.session_created");
        assertThat(created.get("seq").asLong()).isEqualTo(1);
        return created.path("content").path("session_id").asText();
    }

    int awaitClose() {
        return closed.orTimeout(30, TimeUnit.SECONDS).join()[0];
    }

    /** A client created with {@link #connectNotReading} starts reading again (whatever was left on the wire). */
    void resumeReading() {
        ws.request(Long.MAX_VALUE);
    }

    void sendBinary(byte[] b) {
        ws.sendBinary(ByteBuffer.wrap(b), true);
    }

    void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(1000, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                ws.abort();
            }
        }
        ws.abort();
    }
}
