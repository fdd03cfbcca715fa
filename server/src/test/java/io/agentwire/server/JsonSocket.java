package io.agentwire.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JSON-over-WebSocket client on the JDK's WebSocket (a tracking dashboard or an envelope user). */
public final class JsonSocket implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    public final List<JsonNode> all = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket ws;

    public JsonSocket(URI uri) {
        this(uri, java.util.Map.of());
    }

    /** A client that sends {@code headers} with its upgrade request (e.g. {@code X-API-Key}). */
    public JsonSocket(URI uri, java.util.Map<String, String> headers) {
        StringBuilder partial = new StringBuilder();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        headers.forEach(builder::header);
        ws = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode n = JSON.readTree(partial.toString());
                        all.add(n);
                        inbox.add(n);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed.complete(code);
                return null;
            }
        }).join();
    }

    static JsonSocket dashboard(int port, String clientId) {
        return new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws/agent-tracking/" + clientId));
    }

    public synchronized void send(String json) {
        ws.sendText(json, true).join();
    }

    /** The next message matching {@code p}, failing after 20 s (a guard, not a performance assertion). */
    JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonNode n = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("timed out waiting for " + what + "; got " + all);
            if (p.test(n)) return n;
        }
    }

    JsonNode awaitType(String type) throws InterruptedException {
        return await(n -> type.equals(n.path("type").asText()), "type " + type);
    }

    public JsonNode awaitEvent(String event) throws InterruptedException {
        return await(n -> event.equals(n.path("event").asText()), "event " + event);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
