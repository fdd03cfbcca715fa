package io.agentwire.dialect.rooms;

import io.agentwire.core.Authenticator;

/**
 * Checks the JWT a client presented (the server's JWT authenticator): {@link Authenticator.Accepted} with the
 * principal, or {@link Authenticator.Rejected} with {@code AUTH_MISSING} (no token) or {@code AUTH_FAILED}. Runs on
 * an event loop: CPU work only.
 */
@FunctionalInterface
public interface TokenCheck {
    /** {@code token} is null when the client sent none. */
    Authenticator.Result check(String token);
}
