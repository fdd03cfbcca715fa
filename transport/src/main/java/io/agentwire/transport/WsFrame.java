package io.agentwire.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * One server-to-client WebSocket frame (RFC 6455 5.2: FIN, no mask, no extension) encoded once, header and payload,
 * for any number of connections: a broadcast to 10 000 sockets writes the same bytes 10 000 times instead of framing
 * and copying the payload per connection (rule 7 of DESIGN.md). Immutable; the bytes live off-heap (a socket write
 * takes them without a copy) and are freed with this object by the garbage collector, never by a connection, so a
 * frame can be kept as long as its owner wants (a publication in a history window). Frames need no extension: the
 * transport negotiates none.
 */
public final class WsFrame {
    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;

    /** Header and payload; never released (its memory goes with the ByteBuffer), so duplicates may be written freely. */
    private final ByteBuf bytes;
    private final int payloadLength;
    private final boolean binary;

    private WsFrame(byte[] payload, boolean binary) {
        this.payloadLength = payload.length;
        this.binary = binary;
        ByteBuf b = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(headerLength(payload.length) + payload.length));
        b.clear();
        writeHeader(b, binary, payload.length);
        b.writeBytes(payload);
        this.bytes = Unpooled.unreleasableBuffer(b);
    }

    /** The length of the header of a frame with {@code n} payload bytes. */
    static int headerLength(int n) {
        return n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    }

    /** Writes the header of a final, unmasked text or binary frame of {@code n} payload bytes. */
    static void writeHeader(ByteBuf out, boolean binary, int n) {
        out.writeByte(FIN | (binary ? BINARY : TEXT));
        if (n < 126) {
            out.writeByte(n);
        } else if (n <= 0xFFFF) {
            out.writeByte(126).writeShort(n);
        } else {
            out.writeByte(127).writeLong(n);
        }
    }

    /** A text frame of {@code utf8} (copied). */
    public static WsFrame text(byte[] utf8) {
        return new WsFrame(utf8, false);
    }

    /** A binary frame of {@code data} (copied). */
    public static WsFrame binary(byte[] data) {
        return new WsFrame(data, true);
    }

    public boolean isBinary() {
        return binary;
    }

    /** The payload's length in bytes (without the frame header). */
    public int payloadLength() {
        return payloadLength;
    }

    /** A copy of the payload (for connections that do not write frames themselves). */
    public byte[] payload() {
        byte[] out = new byte[payloadLength];
        bytes.getBytes(bytes.readableBytes() - payloadLength, out);
        return out;
    }

    /** The whole frame for one write: its own indexes over the shared bytes; releasing it is a no-op. */
    ByteBuf forWrite() {
        return bytes.duplicate();
    }
}
