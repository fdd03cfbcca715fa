package io.agentwire.core;

/**
 * Receives a stream's publications in offset order. Called from broker and hub threads: implementations must
 * not block (hand the publication to a bounded writer queue and return).
 */
@FunctionalInterface
public interface Subscriber {
    void onPublication(Publication publication);

    /**
     * The subscription ended without the subscriber asking, e.g. because it could not be resynchronised after
     * a gap. The subscriber should tell its client and let it resume.
     */
    default void onTerminated(ErrorCode reason) { }
}
