package io.agentwire.transport;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The connection side of one HTTP request, for handlers that hold their reply (long-polling): the event loop, and
 * a notice when the client hangs up before the reply is written. While such a reply is held the connection is read
 * (so a hang-up is seen at once); a further request on it waits for the held reply, as pipelined requests do.
 */
public interface HttpExchange {

    /** The connection's event loop. */
    ScheduledExecutorService executor();

    /**
     * Runs {@code callback} on the event loop once, if the connection closes before this request's reply was
     * written. Registering it marks the reply as held.
     */
    void onClosed(Runnable callback);

    /** Whether the connection is still open. */
    boolean isOpen();

    /** Identifies the underlying connection: equal for every request that came on the same one. */
    default Object connection() {
        return this;
    }
}
