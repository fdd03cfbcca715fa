package io.agentwire.bench.load;

/** The wire protocols the load generator speaks, each over one WebSocket per client. */
public enum Proto {
    /** Plain WebSocket, the bench app in JSON arrays: the `ws` baseline peer. */
    WS("/"),
    /** Engine.IO v4 / Socket.IO v5 straight over WebSocket, the main namespace. */
    SIO("/socket.io/?EIO=4&transport=websocket"),
    /** AgentWire's envelope protocol ({@code agentwire serve}). */
    ENV("/ws");

    private final String path;

    Proto(String path) {
        this.path = path;
    }

    /** The request path (and query) of the WebSocket upgrade. */
    public String path() {
        return path;
    }

    public static Proto of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
