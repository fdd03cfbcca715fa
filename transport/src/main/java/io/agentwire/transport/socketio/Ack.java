package io.agentwire.transport.socketio;

/**
 * Answers an event the client sent with an acknowledgement callback. Any thread; only the first call counts.
 * For an event without a callback, {@link #requested()} is false and {@link #send} does nothing.
 */
public interface Ack {
    Ack NONE = new Ack() {
        @Override public void send(Object... args) { }
        @Override public boolean requested() { return false; }
    };

    /** Sends the acknowledgement with {@code args} (JSON-able values, {@code byte[]} as binary, Jackson trees). */
    void send(Object... args);

    /** Whether the client asked for an acknowledgement. */
    boolean requested();
}
