package io.agentwire.dialect.spi;

import io.agentwire.core.Authenticator;

/**
 * Checks a token a client presented outside the HTTP upgrade (e.g. Socket.IO's {@code auth.token}) with the
 * server's JWT settings: {@link Authenticator.Accepted} with the principal, or {@link Authenticator.Rejected} with
 * {@code AUTH_MISSING} (no token) or {@code AUTH_FAILED}. CPU work only: it runs on an event loop.
 */
@FunctionalInterface
public interface TokenVerifier {
    /** {@code token} is null when the client sent none. */
    Authenticator.Result check(String token);
}
