package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Sockets as the Socket.IO Admin UI lists them ({@code SerializedSocket} of {@code @socket.io/admin-ui}). */
final class AdminSocketList {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> REDACTED = Set.of("authorization", "cookie", "token", "x-api-key");

    private AdminSocketList() { }

    /** Every socket of every namespace, each serialized on its own event loop. */
    static CompletableFuture<ArrayNode> of(SocketIoServer io, Duration timeout) {
        List<CompletableFuture<ObjectNode>> parts = new ArrayList<>();
        for (Namespace ns : io.namespaces()) {
            for (Socket socket : ns.sockets()) {
                CompletableFuture<ObjectNode> f = new CompletableFuture<>();
                socket.execute(() -> f.complete(socket.connected() ? serialize(socket) : null));
                parts.add(f);
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(v -> {
                    ArrayNode out = NODES.arrayNode(parts.size());
                    parts.forEach(f -> {
                        ObjectNode o = f.getNow(null);
                        if (o != null) out.add(o);
                    });
                    return out;
                });
    }

    /** A socket as the Admin UI lists it (event loop of the socket). Credentials in headers and query are hidden. */
    static ObjectNode serialize(Socket s) {
        ObjectNode o = NODES.objectNode();
        String session = s.client().session().id();
        o.put("id", s.id()).put("clientId", session.substring(0, Math.min(12, session.length())))
                .put("transport", s.transport()).put("nsp", s.namespace().name());
        o.set("data", s.data().deepCopy());
        var request = s.handshake().request();
        ObjectNode handshake = o.putObject("handshake");
        handshake.put("address", request.header("cf-connecting-ip").or(() -> request.header("x-forwarded-for"))
                .orElse(request.remoteAddress()));
        ObjectNode headers = handshake.putObject("headers");
        request.headers().forEach((k, v) -> headers.put(k, REDACTED.contains(k) ? "[redacted]" : String.join(", ", v)));
        ObjectNode query = handshake.putObject("query");
        request.query().forEach((k, v) -> query.put(k, REDACTED.contains(k) ? "[redacted]" : String.join(",", v)));
        long issued = s.connectedAt();
        handshake.put("issued", issued).put("time", Instant.ofEpochMilli(issued).toString())
                .put("secure", "https".equalsIgnoreCase(request.header("x-forwarded-proto").orElse("")))
                .put("url", request.path()).put("xdomain", request.header("origin").isPresent());
        ArrayNode rooms = o.putArray("rooms");
        s.rooms().forEach(rooms::add);
        return o;
    }
}
