package io.agentwire.core;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is connected, as an {@link Authenticator} established it. Immutable. Its id is a {@linkplain #validId valid
 * id}: it names rooms ({@code user:<id>}), sessions' owners and recovery records in every dialect, so an id that one
 * of them could not use is refused here, once, for all of them.
 */
public record Principal(String id, Set<String> roles, Map<String, Object> claims, boolean anonymous) {
    /** The longest principal id. */
    public static final int MAX_ID = 256;
    /** What an authenticator answers for an id that is not {@linkplain #validId valid}. */
    public static final String INVALID_ID = "the subject (sub) must be a string of 1 to " + MAX_ID
            + " characters without whitespace or control characters";

    public static final Principal ANONYMOUS = new Principal("anonymous", Set.of(), Map.of(), true);

    public Principal {
        Objects.requireNonNull(id, "id");
        if (!validId(id)) throw new IllegalArgumentException(INVALID_ID);
        roles = Set.copyOf(roles);
        claims = Map.copyOf(claims);
    }

    public static Principal user(String id) {
        return new Principal(id, Set.of(), Map.of(), false);
    }

    /** 1..{@value #MAX_ID} characters, none of them whitespace, a space separator or a control character. */
    public static boolean validId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) return false;
        }
        return true;
    }
}
