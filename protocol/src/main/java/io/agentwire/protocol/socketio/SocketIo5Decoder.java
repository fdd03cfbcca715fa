package io.agentwire.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The incoming side of one connection: text messages and the binary attachments that follow a BINARY_EVENT or
 * BINARY_ACK, put back together into packets. Not thread-safe: one per connection, used from its event loop.
 * After a {@link SocketIo5ParseException} the connection is to be closed; the decoder's state is then undefined.
 */
public final class SocketIo5Decoder {
    private final int maxAttachments;
    private SocketIo5Packet pending;
    private int expected;
    private List<byte[]> buffers;

    public SocketIo5Decoder() {
        this(SocketIo5Codec.DEFAULT_MAX_ATTACHMENTS);
    }

    public SocketIo5Decoder(int maxAttachments) {
        if (maxAttachments < 1) throw new IllegalArgumentException("maxAttachments must be >= 1");
        this.maxAttachments = maxAttachments;
    }

    /**
     * A text message decoded without a decoder: the packet, or null when it is a binary packet (one with
     * attachments), which only a decoder can put together ({@link #add(String)} with the same text). For a connection
     * that makes its decoder when the first binary packet arrives: most never send one.
     */
    public static SocketIo5Packet withoutAttachments(String text) throws SocketIo5ParseException {
        SocketIo5Codec.Header h = SocketIo5Codec.decodeText(text, SocketIo5Codec.DEFAULT_MAX_ATTACHMENTS);
        return h.attachments() == 0 ? h.packet() : null;
    }

    /** A text message: the packet, or null when it is a binary packet waiting for its attachments. */
    public SocketIo5Packet add(String text) throws SocketIo5ParseException {
        if (pending != null) throw new SocketIo5ParseException("got plaintext data when reconstructing a packet");
        SocketIo5Codec.Header h = SocketIo5Codec.decodeText(text, maxAttachments);
        if (h.attachments() == 0) return h.packet();
        pending = h.packet();
        expected = h.attachments();
        buffers = new ArrayList<>(expected);
        return null;
    }

    /** A binary message: the packet once its last attachment arrived, else null. */
    public SocketIo5Packet add(byte[] attachment) throws SocketIo5ParseException {
        if (pending == null) throw new SocketIo5ParseException("got binary data when not reconstructing a packet");
        buffers.add(attachment);
        if (buffers.size() < expected) return null;
        SocketIo5Packet p = pending;
        List<byte[]> b = buffers;
        reset();
        JsonNode data = p.data() == null ? null : SocketIo5Binary.reconstruct(p.data(), b);
        return new SocketIo5Packet(p.type(), p.namespace(), p.ackId(), data);
    }

    /** Whether a binary packet is waiting for attachments. */
    public boolean reconstructing() {
        return pending != null;
    }

    /** Drops a partly received binary packet (on close). */
    public void reset() {
        pending = null;
        buffers = null;
        expected = 0;
    }
}
