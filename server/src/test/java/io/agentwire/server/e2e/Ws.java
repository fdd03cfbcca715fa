package io.agentwire.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal envelope client on the JDK's WebSocket, for end-to-end tests against a server process. */
final class Ws implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    final List<JsonNode> all = new CopyOnWriteArrayList<>();
    final WebSocket ws;

    Ws(URI uri) {
        StringBuilder partial = new StringBuilder();
        ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
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
        }).join();
    }

    void send(String json) {
        ws.sendText(json, true).join();
    }

    JsonNode await(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode n = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("timed out waiting for " + event + "; got " + all);
            if (event.equals(n.path("event").asText())) return n;
        }
    }

    @Override
    public void close() {
        ws.abort();
    }
}
