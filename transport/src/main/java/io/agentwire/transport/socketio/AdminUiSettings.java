package io.agentwire.transport.socketio;

import java.util.Objects;

/**
 * Settings of the Socket.IO Admin UI namespace of one server ({@link AdminUi}), as {@code @socket.io/admin-ui}'s
 * {@code instrument(io, {namespaceName, readonly, mode})}.
 *
 * @param enabled whether the server serves the namespace at all (off: a client asking for it gets "Invalid namespace")
 * @param readonly whether the Admin UI may only look: no disconnect, join, leave or emit actions
 * @param development {@code mode: "development"}: the socket list and every event in and out are sent live; off
 *     ({@code "production"}): only the server stats (counts and aggregated traffic)
 * @param namespace the namespace name, {@code /admin}
 */
public record AdminUiSettings(boolean enabled, boolean readonly, boolean development, String namespace) {
    public static final AdminUiSettings DISABLED = new AdminUiSettings(false, false, true, "/admin");

    public AdminUiSettings {
        Objects.requireNonNull(namespace, "namespace");
        if (!namespace.startsWith("/") || namespace.equals("/") || namespace.indexOf(',') >= 0) {
            throw new IllegalArgumentException("invalid Admin UI namespace " + namespace);
        }
    }
}
