package io.agentwire.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection over the JDK's {@code java.net.http} client: assembles text frames, serialises sends
 * (the JDK allows one outstanding send), and reports the end once, however it came (close frame, error, abort).
 */
final class Connection implements WebSocket.Listener {
    interface Handler {
        void onFrame(Connection c, String text);

        void onClosed(Connection c, int code, String reason);
    }

    private final Handler handler;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Object sendLock = new Object();
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    private volatile WebSocket ws;
    volatile long lastFrameNanos = System.nanoTime();

    private Connection(Handler handler) {
        this.handler = handler;
    }

    static CompletableFuture<Connection> open(HttpClient http, URI uri, Map<String, String> headers, Duration timeout, Handler handler) {
        Connection c = new Connection(handler);
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(b::header);
        return b.buildAsync(uri, c).thenApply(ws -> c);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastFrameNanos = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            if (!ended.get()) handler.onFrame(this, text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1); // the envelope protocol has no binary frames from the server
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastFrameNanos = System.nanoTime(); // the JDK answers with a pong by itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastFrameNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(1006, String.valueOf(error.getMessage()));
    }

    private void end(int code, String reason) {
        if (ended.compareAndSet(false, true)) handler.onClosed(this, code, reason);
    }

    boolean isOpen() {
        WebSocket w = ws;
        return w != null && !ended.get() && !w.isOutputClosed();
    }

    /** Queues {@code text} behind earlier sends; a failed send ends the connection. */
    void send(String text) {
        WebSocket w = ws;
        if (w == null) return;
        synchronized (sendLock) {
            sends = sends.handle((x, err) -> null).thenCompose(x -> w.sendText(text, true))
                    .whenComplete((x, err) -> { if (err != null) abort(); });
        }
    }

    /** Drops the TCP connection at once, no close frame: what a network failure looks like. */
    void abort() {
        WebSocket w = ws;
        if (w != null) w.abort();
        end(1006, "aborted");
    }

    /** A clean close (1000) after the queued sends; aborts if the server does not answer in time. Completes when the close frame is out. */
    CompletableFuture<?> close() {
        WebSocket w = ws;
        if (w == null || ended.get()) return CompletableFuture.completedFuture(null);
        CompletableFuture<?> after;
        synchronized (sendLock) {
            after = sends.handle((x, err) -> null).thenCompose(x -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""));
        }
        return after.orTimeout(2, TimeUnit.SECONDS).whenComplete((x, err) -> {
            if (err != null) w.abort();
        });
    }
}
