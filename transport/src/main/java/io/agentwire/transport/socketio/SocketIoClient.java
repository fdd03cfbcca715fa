package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import io.agentwire.protocol.socketio.SocketIo5Decoder;
import io.agentwire.protocol.socketio.SocketIo5Packet;
import io.agentwire.protocol.socketio.SocketIo5ParseException;
import io.agentwire.transport.engineio.EngineIoSession;
import io.agentwire.transport.engineio.Outgoing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO side of one Engine.IO session: decodes its messages into packets and routes them to the sockets of
 * its namespaces (one per namespace). As the reference server: a packet that does not decode, or that does not fit
 * the connection's state (an event for a namespace it did not join, a second CONNECT), closes the whole connection;
 * a CONNECT to an unknown namespace is answered CONNECT_ERROR "Invalid namespace" and the connection stays.
 * Everything runs on the session's event loop.
 */
final class SocketIoClient implements EngineIoSession.Listener {
    private static final Logger log = LoggerFactory.getLogger(SocketIoClient.class);

    private final SocketIoServer server;
    private final EngineIoSession session;
    private SocketIo5Decoder decoder; // made by the first binary packet or attachment: most clients send none
    private Socket first;              // its socket in the first namespace it joined: nearly always the only one
    private Map<String, Socket> others; // by namespace, created for a second one
    private boolean closed;

    /**
     * The session stays pending in its Engine.IO server until a namespace accepts it; the server closes it after
     * {@link SocketIoConfig#connectTimeout()} otherwise (one sweep per server, no timer per connection).
     */
    SocketIoClient(SocketIoServer server, EngineIoSession session) {
        this.server = server;
        this.session = session;
    }

    EngineIoSession session() {
        return session;
    }

    void execute(Runnable task) {
        session.execute(task);
    }

    void send(List<EngineIo4Packet> packets) {
        if (closed) return;
        session.sendAll(packets);
        SocketObserver o = server.observer();
        if (o != null) {
            long bytes = 0;
            for (EngineIo4Packet p : packets) bytes += p.isBinary() ? p.binary().length : 1 + utf8Length(p.text());
            o.packetsOut(packets.size(), bytes);
        }
    }

    void send(Outgoing out) {
        if (closed) return;
        session.send(out);
        SocketObserver o = server.observer();
        if (o != null) o.packetsOut(out.packets().size(), out.byteLength());
    }

    /** A socket joined its namespace: the CONNECT reply goes out alone (what follows comes after it). */
    void connected(List<EngineIo4Packet> connectReply) {
        if (closed) return;
        session.established();
        session.sendSeparately(connectReply);
    }

    @Override
    public void onMessage(String text) {
        SocketObserver o = server.observer();
        if (o != null) o.packetIn(utf8Length(text));
        try {
            SocketIo5Packet p = decoder == null ? SocketIo5Decoder.withoutAttachments(text) : null;
            if (p == null) p = decoder().add(text); // a binary packet, or one while a decoder exists
            if (p != null) route(p);
        } catch (SocketIo5ParseException e) {
            protocolError(e.getMessage());
        }
    }

    private SocketIo5Decoder decoder() {
        if (decoder == null) decoder = new SocketIo5Decoder();
        return decoder;
    }

    @Override
    public void onBinary(byte[] data) {
        SocketObserver o = server.observer();
        if (o != null) o.packetIn(data.length);
        try {
            SocketIo5Packet p = decoder().add(data);
            if (p != null) route(p);
        } catch (SocketIo5ParseException e) {
            protocolError(e.getMessage());
        }
    }

    @Override
    public void onClose(String reason) {
        closed = true;
        if (session.cutOffAsSlowConsumer()) server.meters().slowConsumerCutOff();
        if (decoder != null) decoder.reset();
        List<Socket> all = sockets();
        first = null;
        others = null;
        all.forEach(s -> s.closed(reason));
        SocketObserver o = server.observer();
        if (o != null) o.closed(reason);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    @Override
    public void onUpgrade() {
        SocketObserver o = server.observer();
        if (o != null) sockets().forEach(s -> { if (s.connected()) o.upgraded(s); });
    }

    private void route(SocketIo5Packet p) {
        Socket socket = socket(p.namespace());
        switch (p.type()) {
            case CONNECT -> {
                if (socket != null) protocolError("already connected to " + p.namespace()); else connect(p);
            }
            case EVENT, ACK, DISCONNECT -> {
                if (socket == null || !socket.connected()) {
                    protocolError(p.type() + " for " + p.namespace() + ", which is not connected");
                } else if (p.type() == SocketIo5Packet.Type.EVENT) {
                    socket.onEvent(p);
                } else if (p.type() == SocketIo5Packet.Type.ACK) {
                    socket.onAck(p);
                } else {
                    socket.closed("client namespace disconnect");
                }
            }
            default -> protocolError("unexpected " + p.type());
        }
    }

    private void connect(SocketIo5Packet p) {
        Namespace ns = server.namespaceIfPresent(p.namespace());
        if (ns == null) {
            sendError(p.namespace(), "Invalid namespace", null);
            return;
        }
        ObjectNode auth = p.data() instanceof ObjectNode o ? o : null; // none: ConnectRequest reads it as {}
        String pid = auth != null && auth.path("pid").isTextual() ? auth.get("pid").textValue() : null;
        String offset = auth != null && auth.path("offset").isTextual() ? auth.get("offset").textValue() : null;
        boolean recovering = pid != null && server.config().recovery().enabled();
        Socket socket = new Socket(this, ns, auth, recovering);
        ConnectRequest request = socket.handshake();
        if (first == null) {
            first = socket;
        } else {
            if (others == null) others = new HashMap<>(2);
            others.put(ns.name(), socket);
        }
        if (!recovering) {
            admit(ns, request, socket, null, offset);
            return;
        }
        ns.recovery().take(pid, System.currentTimeMillis()).whenComplete((saved, e) -> execute(() -> {
            if (closed || socket(ns.name()) != socket) {
                if (saved != null) ns.recovery().save(saved); // gone meanwhile: may try again
                return;
            }
            if (saved != null && server.config().recovery().skipMiddlewares()) {
                socket.accepted(null, request.principal().id(), saved, offset);
            } else {
                admit(ns, request, socket, saved, offset);
            }
        }));
    }

    private void admit(Namespace ns, ConnectRequest request, Socket socket, RecoveryStore.Saved keep, String offset) {
        ns.admit(request).whenComplete((reply, error) -> execute(() -> {
            if (closed || socket(ns.name()) != socket) {
                if (keep != null) ns.recovery().save(keep); // gone before the middleware answered: may try again
                return;
            }
            if (error != null) {
                log.warn("sio {}: middleware of {} failed", session.id(), ns.name(), error);
                connectFailed(socket, "server error", null);
            } else if (reply instanceof ConnectReply.Reject r) {
                connectFailed(socket, r.message(), r.data());
            } else {
                ConnectReply.Accept a = reply instanceof ConnectReply.Accept x ? x : new ConnectReply.Accept(null);
                socket.accepted(a.data(), a.owner() != null ? a.owner() : request.principal().id(), keep, offset);
            }
        }));
    }

    /** The socket could not join: CONNECT_ERROR to the client, the connection stays. */
    void connectFailed(Socket socket, String message, JsonNode data) {
        removed(socket);
        socket.closed("connect error");
        sendError(socket.namespace().name(), message, data);
    }

    private void sendError(String namespace, String message, JsonNode data) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        if (data != null) body.set("data", data);
        send(Socket.packets(SocketIo5Packet.of(SocketIo5Packet.Type.CONNECT_ERROR, namespace, body)));
    }

    void removed(Socket socket) {
        if (first == socket) first = null;
        else if (others != null) others.remove(socket.namespace().name(), socket);
    }

    private Socket socket(String namespace) {
        if (first != null && first.namespace().name().equals(namespace)) return first;
        return others == null ? null : others.get(namespace);
    }

    private List<Socket> sockets() {
        List<Socket> all = new ArrayList<>(1 + (others == null ? 0 : others.size()));
        if (first != null) all.add(first);
        if (others != null) all.addAll(others.values());
        return all;
    }

    /** Every socket leaves (DISCONNECT to each), then the connection closes. */
    void disconnectAll() {
        for (Socket s : sockets()) s.serverDisconnect();
        session.close();
    }

    private void protocolError(String what) {
        log.debug("sio {}: {}; closing the connection", session.id(), what);
        session.close();
    }
}
