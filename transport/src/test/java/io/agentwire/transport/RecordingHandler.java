package io.agentwire.transport;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A WsHandler that records its callbacks (and echoes text when asked). */
class RecordingHandler implements WsHandler {
    record Closed(WsConnection connection, int code, String reason) { }

    final boolean echo;
    final BlockingQueue<WsConnection> opened = new LinkedBlockingQueue<>();
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Integer> binaries = new CopyOnWriteArrayList<>();
    final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
    final AtomicInteger closeCalls = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean defaultBinary;
    volatile String greeting;

    RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onOpen(WsConnection connection) {
        threads.add(Thread.currentThread().getName());
        opened.add(connection);
        if (greeting != null) connection.send(greeting);
    }

    @Override
    public void onText(WsConnection connection, String text) {
        threads.add(Thread.currentThread().getName());
        texts.add(text);
        if (text.equals("boom")) throw new IllegalStateException("handler failure (expected by the test)");
        if (echo) connection.send(text);
    }

    @Override
    public void onBinary(WsConnection connection, int bytes) {
        binaries.add(bytes);
        if (defaultBinary) WsHandler.super.onBinary(connection, bytes);
    }

    @Override
    public void onClose(WsConnection connection, int code, String reason) {
        threads.add(Thread.currentThread().getName());
        closeCalls.incrementAndGet();
        closed.add(new Closed(connection, code, reason));
    }

    WsConnection awaitOpen() throws InterruptedException {
        WsConnection c = opened.poll(10, TimeUnit.SECONDS);
        if (c == null) throw new AssertionError("no connection opened within 10 s");
        return c;
    }

    Closed awaitClose() throws InterruptedException {
        Closed c = closed.poll(10, TimeUnit.SECONDS);
        if (c == null) throw new AssertionError("no onClose within 10 s");
        return c;
    }
}
