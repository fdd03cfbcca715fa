package io.agentwire.transport.engineio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.agentwire.transport.WsConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/** A WebSocket without a socket: records the frames sent to it and how it was closed. */
final class FakeWs implements WsConnection {
    final List<String> sent = new ArrayList<>();
    final List<byte[]> sentBinary = new ArrayList<>();
    DisconnectReason closedWith;
    private final ScheduledExecutorService loop;
    private final Authenticator.Request request;

    FakeWs(ScheduledExecutorService loop, Map<String, List<String>> query) {
        this.loop = loop;
        this.request = new Authenticator.Request("/socket.io/", Map.of(), query, "127.0.0.1");
    }

    @Override public String id() { return "conn_fake" + System.identityHashCode(this); }
    @Override public Principal principal() { return Principal.ANONYMOUS; }
    @Override public Authenticator.Request request() { return request; }
    @Override public String path() { return "/socket.io/"; }
    @Override public ScheduledExecutorService executor() { return loop; }
    @Override public long lastReadNanos() { return System.nanoTime(); }
    @Override public int queuedMessages() { return 0; }
    @Override public boolean isOpen() { return closedWith == null; }

    @Override
    public boolean send(String text) {
        if (closedWith != null) return false;
        sent.add(text);
        return true;
    }

    @Override
    public boolean send(byte[]... utf8Parts) {
        StringBuilder sb = new StringBuilder();
        for (byte[] part : utf8Parts) sb.append(new String(part, StandardCharsets.UTF_8));
        return send(sb.toString());
    }

    @Override
    public boolean sendBinary(byte[] data) {
        if (closedWith != null) return false;
        sentBinary.add(data);
        return true;
    }

    @Override
    public void close(DisconnectReason reason) {
        if (closedWith == null) closedWith = reason;
    }
}
