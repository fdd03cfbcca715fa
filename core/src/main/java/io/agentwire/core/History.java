package io.agentwire.core;

import java.util.List;

/**
 * The answer to "everything after this position": either {@code complete} with every publication after it in
 * offset order (possibly none), or not, with the reason. Never a partial list presented as complete.
 */
public record History(StreamPosition top, List<Publication> publications, boolean complete, Gap reason) {

    /** Why a history is not complete. */
    public enum Gap {
        /** Complete: nothing missing. */
        NONE,
        /** The stream's history was lost since the position was taken (the epoch differs). */
        EPOCH_CHANGED,
        /** Publications after the position have left the window (count or age). */
        EVICTED,
        /** More publications than the caller's limit. */
        LIMIT
    }

    public History {
        publications = List.copyOf(publications);
    }

    public static History complete(StreamPosition top, List<Publication> publications) {
        return new History(top, publications, true, Gap.NONE);
    }

    public static History incomplete(StreamPosition top, Gap reason) {
        return new History(top, List.of(), false, reason);
    }
}
