package io.agentwire.transport.socketio;

import java.util.concurrent.atomic.AtomicBoolean;

/** The acknowledgement a client asked for with an event: answered once (the first call), through its socket. */
final class ClientAck implements Ack {
    private final Socket socket;
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    ClientAck(Socket socket, long ackId) {
        this.socket = socket;
        this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
        if (sent.compareAndSet(false, true)) socket.sendAck(ackId, Args.array(null, args));
    }

    @Override
    public boolean requested() {
        return true;
    }
}
