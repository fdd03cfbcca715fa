package io.agentwire.transport.testing;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.agentwire.transport.WsConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WsConnection} without a socket, for unit tests of dialect logic: it records every frame sent (a frame
 * of one part by reference, so a test can check that shared bytes are shared), how it was closed, and plays a
 * client that reads at once or, after {@link #stall()}, not at all: then sends pile up in
 * {@link #queuedMessages()} until {@link #read()}, which also runs the {@link #whenDrained} task, as the transport's
 * writer does. Its event loop is the executor given (a {@link ManualExecutor} makes it deterministic).
 * Thread-safe for sends.
 */
public final class FakeWsConnection implements WsConnection {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "conn_fake" + IDS.incrementAndGet();
    private final ScheduledExecutorService loop;
    private final Principal principal;
    private final Authenticator.Request request;
    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final List<byte[]> sentBinary = new CopyOnWriteArrayList<>();
    private volatile DisconnectReason closedWith;
    private volatile boolean stalled;
    private volatile Object attachment;
    private volatile long lastReadNanos;
    private int queued;           // guarded by this
    private int drainBelow;       // guarded by this
    private Runnable drained;     // guarded by this
    private int pings;

    public FakeWsConnection(ScheduledExecutorService loop) {
        this(loop, Principal.ANONYMOUS, new Authenticator.Request("/", Map.of(), Map.of(), "127.0.0.1"));
    }

    public FakeWsConnection(ScheduledExecutorService loop, Principal principal, Authenticator.Request request) {
        this.loop = loop;
        this.principal = principal;
        this.request = request;
        this.lastReadNanos = loop instanceof ManualExecutor m ? m.nanoTime() : System.nanoTime();
    }

    @Override public String id() { return id; }
    @Override public Principal principal() { return principal; }
    @Override public Authenticator.Request request() { return request; }
    @Override public String path() { return request.path(); }
    @Override public ScheduledExecutorService executor() { return loop; }
    @Override public long lastReadNanos() { return lastReadNanos; }
    @Override public synchronized int queuedMessages() { return queued; }
    @Override public boolean isOpen() { return closedWith == null; }

    @Override
    public boolean send(String text) {
        return record(text.getBytes(StandardCharsets.UTF_8), sent);
    }

    @Override
    public boolean send(byte[]... utf8Parts) {
        if (utf8Parts.length == 1) return record(utf8Parts[0], sent);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : utf8Parts) out.writeBytes(part);
        return record(out.toByteArray(), sent);
    }

    @Override
    public boolean sendBinary(byte[] data) {
        return record(data, sentBinary);
    }

    @Override
    public synchronized boolean sendPing() {
        if (closedWith != null) return false;
        pings++;
        return true;
    }

    @Override
    public void close(DisconnectReason reason) {
        synchronized (this) {
            if (closedWith != null) return;
            closedWith = reason;
            drained = null;
        }
    }

    @Override
    public void whenDrained(int below, Runnable task) {
        synchronized (this) {
            if (closedWith != null) return;
            if (queued >= below) {
                drainBelow = below;
                drained = task;
                return;
            }
            drained = null;
        }
        loop.execute(task);
    }

    private boolean record(byte[] frame, List<byte[]> to) {
        synchronized (this) {
            if (closedWith != null) return false;
            if (stalled) queued++;
        }
        to.add(frame);
        return true;
    }

    // ---- what the test does and sees ----

    /** From now on the client reads nothing: sends stay queued. */
    public void stall() {
        stalled = true;
    }

    /** The client reads everything queued (and keeps reading); a {@link #whenDrained} task is run on the loop. */
    public void read() {
        Runnable task;
        synchronized (this) {
            stalled = false;
            queued = 0;
            task = drained != null && queued < drainBelow ? drained : null;
            drained = null;
        }
        if (task != null) loop.execute(task);
    }

    /** A frame arrived from the client at {@code nanos} (the time {@link #lastReadNanos()} reports). */
    public void receivedAt(long nanos) {
        lastReadNanos = nanos;
    }

    /** The text frames sent, in order, as sent (one-part frames by reference). */
    public List<byte[]> frames() { return List.copyOf(sent); }

    /** The text frames sent, decoded. */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (byte[] b : sent) out.add(new String(b, StandardCharsets.UTF_8));
        return out;
    }

    /** The last text frame, decoded; fails if none. */
    public String lastText() {
        if (sent.isEmpty()) throw new AssertionError("nothing was sent on " + id);
        return new String(sent.getLast(), StandardCharsets.UTF_8);
    }

    public List<byte[]> binaryFrames() { return List.copyOf(sentBinary); }

    /** Forgets what was sent so far. */
    public void clearSent() {
        sent.clear();
        sentBinary.clear();
    }

    /** How it was closed, or null while open. */
    public DisconnectReason closedWith() { return closedWith; }

    public synchronized int pings() { return pings; }

    /** Whether a {@link #whenDrained} task waits for the client to read. */
    public synchronized boolean waitingForDrain() { return drained != null; }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }
}
