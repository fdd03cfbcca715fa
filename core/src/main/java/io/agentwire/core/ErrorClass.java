package io.agentwire.core;

/** The classes of failure of envelope.md's error-handling design. They decide whether a retry makes sense. */
public enum ErrorClass {
    /** The client's message is wrong; retrying the same message fails again. */
    VALIDATION,
    /** A timeout or an upstream hiccup; retried with backoff. */
    TRANSIENT,
    /** A rate limit, a quota or a size limit. */
    RESOURCE,
    /** Cannot succeed as configured (no model, tool missing). */
    PERMANENT,
    /** The connection was lost or closed. */
    CONNECTION
}
