package io.agentwire.transport;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK WebSocket client listener that records whole messages. With {@code readLimit} it stops requesting
 * messages after that many, so the client stops reading its socket and TCP back-pressure builds up.
 */
class ClientListener implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final List<String> all = new CopyOnWriteArrayList<>();
    final CompletableFuture<int[]> closeCode = new CompletableFuture<>();
    final CompletableFuture<String> closeReason = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    private final int readLimit;
    private final StringBuilder partial = new StringBuilder();
    private int received;

    ClientListener() {
        this(Integer.MAX_VALUE);
    }

    ClientListener(int readLimit) {
        this.readLimit = readLimit;
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String m = partial.toString();
            partial.setLength(0);
            messages.add(m);
            all.add(m);
            received++;
        }
        if (received < readLimit) ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        pongs.add(message);
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReason.complete(reason);
        closeCode.complete(new int[] {statusCode});
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable e) {
        error.complete(e);
        closeCode.completeExceptionally(e);
    }

    String next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 10 s");
        return m;
    }

    int awaitCloseCode() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS)[0];
    }
}
