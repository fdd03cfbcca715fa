package io.agentwire.core;

import java.util.Objects;

/**
 * A position in a stream: the offset of the last publication seen and the epoch of the stream's history.
 * Offset 0 means "before the first publication". A position is only meaningful with its epoch: the epoch
 * changes when a stream's history is lost, and a position from another epoch can not be resumed from.
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        Objects.requireNonNull(epoch, "epoch");
    }

    public StreamPosition withOffset(long newOffset) {
        return new StreamPosition(newOffset, epoch);
    }
}
