package io.agentwire.core;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Who is connected, as an {@link Authenticator} established it. Immutable. */
public record Principal(String id, Set<String> roles, Map<String, Object> claims, boolean anonymous) {
    public static final Principal ANONYMOUS = new Principal("anonymous", Set.of(), Map.of(), true);

    public Principal {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) throw new IllegalArgumentException("principal id must not be blank");
        roles = Set.copyOf(roles);
        claims = Map.copyOf(claims);
    }

    public static Principal user(String id) {
        return new Principal(id, Set.of(), Map.of(), false);
    }
}
