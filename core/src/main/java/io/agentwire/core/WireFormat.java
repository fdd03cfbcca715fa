package io.agentwire.core;

/**
 * How one dialect turns a publication into bytes (or frames) for its clients. Instances are used as cache keys
 * in {@link Publication#encoded(WireFormat)}: keep one instance per format (identity equality).
 */
@FunctionalInterface
public interface WireFormat<T> {
    T encode(Publication publication);
}
