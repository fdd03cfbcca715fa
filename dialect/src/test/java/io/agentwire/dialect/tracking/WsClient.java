package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records the JSON messages it receives. As a dashboard it answers the
 * server's {@code ping} with {@code pong} like spec 002's client, unless made {@link #silent}.
 */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    final List<JsonNode> all = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    final WebSocket ws;
    private final boolean answerPings;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
    private final StringBuilder partial = new StringBuilder();

    private WsClient(URI uri, boolean answerPings) {
        this.answerPings = answerPings;
        this.ws = HTTP.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    static WsClient connect(URI uri) { return new WsClient(uri, true); }

    /** A dashboard that never answers pings and sends nothing unless told. */
    static WsClient silent(URI uri) { return new WsClient(uri, false); }

    private final class Listener implements WebSocket.Listener {
        @Override public void onOpen(WebSocket w) { w.request(1); }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode n;
                try {
                    n = JSON.readTree(partial.toString());
                } catch (Exception e) {
                    throw new AssertionError("server sent invalid JSON: " + partial, e);
                }
                partial.setLength(0);
                all.add(n);
                inbox.add(n);
                if (answerPings && "ping".equals(n.path("type").asText())) {
                    sender.execute(() -> ws.sendText("{\"type\":\"pong\"}", true).join());
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closeReason = reason;
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(1006);
        }
    }

    void send(String text) {
        try {
            sender.submit(() -> ws.sendText(text, true).join()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not send " + text, e);
        }
    }

    void send(ObjectNode message) {
        send(message.toString());
    }

    static ObjectNode type(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    static ObjectNode type(String type, String sessionId) {
        return type(type).put("session_id", sessionId);
    }

    static ObjectNode event(String event) {
        return JSON.createObjectNode().put("event", event);
    }

    /** The next message, failing after 20 s (a guard, not a performance assertion). */
    JsonNode next() throws InterruptedException {
        JsonNode n = inbox.poll(20, TimeUnit.SECONDS);
        if (n == null) throw new AssertionError("timed out waiting for a message; received " + all);
        return n;
    }

    /** The next message of this {@code type}, skipping others (pings included). */
    JsonNode awaitType(String type) throws InterruptedException {
        return await(n -> type.equals(n.path("type").asText()), "type " + type);
    }

    /** The next envelope with this {@code event}. */
    JsonNode awaitEvent(String event) throws InterruptedException {
        return await(n -> event.equals(n.path("event").asText()), "event " + event);
    }

    JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        return collectUntil(p, what).getLast();
    }

    /** Every message up to and including the next one matching {@code p}. */
    List<JsonNode> collectUntil(Predicate<JsonNode> p, String what) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonNode n = inbox.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("timed out waiting for " + what + "; got " + out);
            out.add(n);
            if (p.test(n)) return out;
        }
    }

    int awaitClose() {
        return closed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                sender.submit(() -> ws.sendClose(1000, "bye").join()).get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the server may have closed already
            }
        }
        ws.abort();
        sender.shutdownNow();
    }
}
