package io.agentwire.client;

import java.time.Duration;

/**
 * The client's own life: connections, resumes, drops. Every method has an empty default; they are called on the
 * client's event thread, in order, so keep them short (hand long work to a virtual thread).
 */
public interface ClientListener {
    /** The server said {@code system.connected} on a new connection. */
    default void onOpen(String connectionId) { }

    /** A session was created ({@code created}) or resumed on this connection. */
    default void onSession(String sessionId, boolean created) { }

    /** A resume finished: the {@code system.notice RESUMED} (its metadata has mode, replayed, from_seq, to_seq …). */
    default void onResumed(Envelope notice) { }

    /** The connection dropped; a reconnect follows. */
    default void onDisconnected(int code, String reason) { }

    /** Reconnect attempt {@code attempt} starts in {@code delay}. */
    default void onReconnecting(int attempt, Duration delay) { }

    /** The session could not be resumed (expired, unknown, forbidden): create a new one. */
    default void onSessionLost(String sessionId, AgentWireException error) { }

    /** A seq arrived that is not the next one (the server never does this; reported, not hidden). */
    default void onGap(long expected, long got) { }

    /** A server error ({@code error.*}, {@code system.error}) or a client-side failure. */
    default void onError(AgentWireException error) { }

    /** The client stopped for good: {@code close()}, an authentication failure, or its reconnect attempts ran out. */
    default void onClosed(AgentWireException reason) { }
}
