package io.agentwire.transport.engineio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.util.Map;

/**
 * The WebSocket transport of an {@link EngineIoServer}: checks an upgrade request before the handshake (the same
 * checks as long-polling, refused with the reference server's 400 JSON), then either opens a new session on the
 * WebSocket (no {@code sid}) or offers the WebSocket to a polling session as its upgrade probe. Frames are handed to
 * the session on its own event loop, in order. A connection's session is its {@link WsConnection#attachment()}.
 */
final class EngineIoWebSocket implements WsHandler {
    private final EngineIoServer server;

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
            connection.attach(s);
            connection.send(s.openPacket());
            s.opened();
            return;
        }
        EngineIoSession s = server.session(sid);
        if (s == null) {
            connection.close(DisconnectReason.NORMAL);
            return;
        }
        connection.attach(s);
        s.execute(() -> s.onProbeOpen(connection));
    }

    @Override
    public void onText(WsConnection connection, String text) {
        if (connection.attachment() instanceof EngineIoSession s) s.execute(() -> s.onWsText(connection, text));
    }

    @Override
    public void onBinary(WsConnection connection, byte[] data) {
        if (connection.attachment() instanceof EngineIoSession s) s.execute(() -> s.onWsBinary(connection, data));
    }

    @Override
    public void onClose(WsConnection connection, int code, String reason) {
        Object attached = connection.attachment();
        connection.attach(null);
        if (attached instanceof EngineIoSession s) s.execute(() -> s.onWsClose(connection, code));
    }
}
