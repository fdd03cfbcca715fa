package io.agentwire.dialect;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The dialect tests' real WebSocket client (the JDK's): records every JSON text message it receives, in order,
 * in {@link #all} and {@link #inbox}. Waits fail after 20 s — a guard against a hang, not a performance assertion.
 * Sends go through one sender thread, so a subclass may answer from {@link #onMessage} (e.g. a pong).
 */
public class JsonWsClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 20;

    public final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    public final List<JsonNode> all = new CopyOnWriteArrayList<>();
    /** Completes with the close code (1006 for an abnormal end). */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    public volatile String closeReason;
    public final WebSocket ws;
    private final boolean reading;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
    private final StringBuilder partial = new StringBuilder();

    /** @param reading false: read the first message, then stop reading (TCP back-pressure builds up) */
    protected JsonWsClient(URI uri, boolean reading) {
        this.reading = reading;
        this.ws = HTTP.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    /** Called on the client's listener thread for each message, after it is recorded. */
    protected void onMessage(JsonNode message) { }

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
                all.add(n); // before the inbox: a test that took n from the inbox finds it in all
                inbox.add(n);
                onMessage(n);
            }
            if (reading) w.request(1);
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

    public void send(String text) {
        try {
            sender.submit(() -> ws.sendText(text, true).join()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not send " + text, e);
        }
    }

    public void send(ObjectNode message) {
        send(message.toString());
    }

    /** Sends from the sender thread without waiting (for answers given from {@link #onMessage}). */
    protected void sendLater(String text) {
        sender.execute(() -> ws.sendText(text, true).join());
    }

    public void sendBinary(byte[] b) {
        ws.sendBinary(ByteBuffer.wrap(b), true);
    }

    /** The next message, whatever it is. */
    public JsonNode next() throws InterruptedException {
        JsonNode n = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (n == null) throw new AssertionError("timed out waiting for a message; received " + all);
        return n;
    }

    /** The next message matching {@code p}, skipping others. */
    public JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        return collectUntil(p, what).getLast();
    }

    /** Every message up to and including the next one matching {@code p}. */
    public List<JsonNode> collectUntil(Predicate<JsonNode> p, String what) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            JsonNode n = inbox.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("timed out waiting for " + what + "; got " + out);
            out.add(n);
            if (p.test(n)) return out;
        }
    }

    /** The close code, waiting up to 30 s for the close. */
    public int awaitClose() {
        return closed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** A client that stopped reading starts again (whatever was left on the wire). */
    public void resumeReading() {
        ws.request(Long.MAX_VALUE);
    }

    public void abort() {
        ws.abort();
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
