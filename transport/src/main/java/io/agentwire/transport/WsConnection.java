package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One open WebSocket connection. Thread-safe: {@code send} and {@code close} may be called from any thread and
 * never block. Sends go through a bounded queue that is flushed once per batch; when the queue overflows
 * ({@link WriterLimits}) the connection is closed with {@link DisconnectReason#SLOW_CONSUMER} and every further
 * send returns {@code false}.
 */
public interface WsConnection {

    /** {@code conn_} followed by 16 random hex digits. */
    String id();

    /** Who the endpoint's authenticator accepted. */
    Principal principal();

    /** The upgrade request as the authenticator saw it (lower-case headers, query parameters, remote address). */
    Authenticator.Request request();

    /** The path of the upgrade request, without the query string (useful for prefix endpoints). */
    String path();

    /** Queues one text frame; {@code false} if the connection is closing or closed, or the queue overflowed. */
    boolean send(String text);

    /**
     * Queues ONE text frame whose payload is the UTF-8 parts concatenated, without copying them: a dialect can
     * send a body encoded once for all subscribers behind a per-connection prefix. The arrays must not change
     * afterwards. Returns {@code false} as {@link #send(String)} does.
     */
    boolean send(byte[]... utf8Parts);

    /**
     * Queues one binary frame holding {@code data} (not copied: it must not change afterwards). Returns
     * {@code false} as {@link #send(String)} does. The default refuses: connections of the transport support it.
     */
    default boolean sendBinary(byte[] data) {
        throw new UnsupportedOperationException("binary frames are not supported by " + getClass().getName());
    }

    /**
     * Queues one frame encoded once for many connections ({@link WsFrame}). Returns {@code false} as
     * {@link #send(String)} does. The default sends a copy of its payload.
     */
    default boolean send(WsFrame frame) {
        return frame.isBinary() ? sendBinary(frame.payload()) : send(frame.payload());
    }

    /**
     * Starts the closing handshake: drops the queue, sends a close frame with {@code reason}'s code and text, and
     * closes the socket once the peer answers, or after {@link WriterLimits#closeGrace()} at the latest (a peer
     * that does not read). Only the first close counts.
     */
    void close(DisconnectReason reason);

    /**
     * Sends a WebSocket protocol ping frame (RFC 6455 5.5.2) now, outside the send queue; every browser and
     * WebSocket library answers it with a pong frame by itself, which {@link #lastReadNanos()} counts: a liveness
     * check for clients that never answer an application-level ping. Skipped (returns {@code false}) while the
     * connection is closing or its socket is not writable (a peer that does not read gets no growing buffer of
     * pings). Any thread; never blocks. The default sends none.
     */
    default boolean sendPing() {
        return false;
    }

    /**
     * What the endpoint's handler keeps with this connection (its session, say), so that it needs no map by
     * {@link #id()}: set in {@code onOpen}, read in the later callbacks, on {@link #executor()}. The default keeps
     * nothing: connections of the transport support it.
     */
    default Object attachment() {
        return null;
    }

    /** Sets {@link #attachment()} (null: none). Event loop of the connection. */
    default void attach(Object attachment) {
        throw new UnsupportedOperationException("attachments are not supported by " + getClass().getName());
    }

    /** {@code true} until a close started or the socket went away. */
    boolean isOpen();

    /** The connection's event loop: timers scheduled here run on the thread of the handler callbacks. */
    ScheduledExecutorService executor();

    /** {@link System#nanoTime()} of the last frame received, of any kind (data, ping, pong, close). */
    long lastReadNanos();

    /** Messages waiting in the send queue (not yet handed to the socket). */
    int queuedMessages();

    /**
     * Runs {@code task} once, on {@link #executor()}, as soon as fewer than {@code below} messages wait in the send
     * queue (at once if that is already so): a producer that stops at a budget ({@link #queuedMessages()}) resumes
     * when the client has read, with no polling. One task per connection: a later call replaces a task that has not
     * run yet. A task whose connection closes first never runs. Any thread; never blocks. The default (for a
     * connection without a queue) runs it at once on the executor.
     */
    default void whenDrained(int below, Runnable task) {
        executor().execute(task);
    }
}
