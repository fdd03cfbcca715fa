package io.agentwire.transport.engineio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket transport of an {@link EngineIoServer}: checks an upgrade request before the handshake (the same
 * checks as long-polling, refused with the reference server's 400 JSON), then either opens a new session on the
 * WebSocket (no {@code sid}) or offers the WebSocket to a polling session as its upgrade probe. Frames are handed to
 * the session on its own event loop, in order.
 */
final class EngineIoWebSocket implements WsHandler {
    private final EngineIoServer server;
    private final ConcurrentHashMap<String, EngineIoSession> byConnection = new ConcurrentHashMap<>();

    EngineIoWebSocket(EngineIoServer server) {
        this.server = server;
    }

    HttpReply check(Authenticator.Request request) {
        int error = server.verify(request.query(), "GET", true);
        if (error >= 0) return EngineIoErrors.reply(error, Map.of());
        boolean handshake = EngineIoServer.first(request.query(), "sid") == null;
        return handshake && !server.roomForHandshake(false, request.remoteAddress()) ? EngineIoErrors.busy(Map.of()) : null;
    }

    @Override
    public void onOpen(WsConnection connection) {
        String sid = EngineIoServer.first(connection.request().query(), "sid");
        if (sid == null) {
            EngineIoSession s = server.open(connection.executor(), connection.request(), connection.principal(), connection,
                    false);
            byConnection.put(connection.id(), s);
            connection.send(s.openPacket());
            s.opened();
            return;
        }
        EngineIoSession s = server.session(sid);
        if (s == null) {
            connection.close(DisconnectReason.NORMAL);
            return;
        }
        byConnection.put(connection.id(), s);
        s.execute(() -> s.onProbeOpen(connection));
    }

    @Override
    public void onText(WsConnection connection, String text) {
        EngineIoSession s = byConnection.get(connection.id());
        if (s != null) s.execute(() -> s.onWsText(connection, text));
    }

    @Override
    public void onBinary(WsConnection connection, byte[] data) {
        EngineIoSession s = byConnection.get(connection.id());
        if (s != null) s.execute(() -> s.onWsBinary(connection, data));
    }

    @Override
    public void onClose(WsConnection connection, int code, String reason) {
        EngineIoSession s = byConnection.remove(connection.id());
        if (s != null) s.execute(() -> s.onWsClose(connection, code));
    }
}
