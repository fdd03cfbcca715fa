package io.agentwire.protocol.engineio;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Engine.IO v4 packets on the wire, as pure functions (no I/O):
 *
 * <ul>
 *   <li>a WebSocket text frame is one packet: its type digit, then its text ({@code 4hello}); a binary frame is
 *       one binary message, bytes as they are;</li>
 *   <li>an HTTP long-polling payload is packets joined by the record separator {@code \x1e}; a binary message
 *       in it is {@code b} followed by its base64.</li>
 * </ul>
 *
 * Decoding throws only {@link EngineIo4ParseException}, whatever the input.
 */
public final class EngineIo4Codec {
    /** Separates the packets of a long-polling payload. */
    public static final char SEPARATOR = '\u001e';

    private EngineIo4Codec() { }

    /** One packet from a WebSocket text frame (or one element of a payload). */
    public static EngineIo4Packet decodePacket(String frame) throws EngineIo4ParseException {
        if (frame == null || frame.isEmpty()) throw new EngineIo4ParseException("empty packet");
        char c = frame.charAt(0);
        if (c == 'b') {
            try {
                return EngineIo4Packet.binary(Base64.getDecoder().decode(frame.substring(1)));
            } catch (IllegalArgumentException e) {
                throw new EngineIo4ParseException("invalid base64 in a binary packet");
            }
        }
        EngineIo4Packet.Type type = EngineIo4Packet.Type.of(c);
        if (type == null) throw new EngineIo4ParseException("unknown packet type '" + printable(c) + "'");
        return EngineIo4Packet.of(type, frame.substring(1));
    }

    /** One binary message from a WebSocket binary frame. */
    public static EngineIo4Packet decodeBinaryFrame(byte[] frame) {
        return EngineIo4Packet.binary(frame);
    }

    /** A text packet as a WebSocket text frame. Binary packets go as binary frames (their bytes). */
    public static String encodePacket(EngineIo4Packet packet) {
        if (packet.isBinary()) throw new IllegalArgumentException("a binary packet is sent as a binary frame");
        return packet.type().code() + packet.text();
    }

    /** The packets of a long-polling request body. An empty body is an error, as a packet can not be empty. */
    public static List<EngineIo4Packet> decodePayload(String body) throws EngineIo4ParseException {
        if (body == null) throw new EngineIo4ParseException("no payload");
        List<EngineIo4Packet> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = body.indexOf(SEPARATOR, start);
            out.add(decodePacket(end < 0 ? body.substring(start) : body.substring(start, end)));
            if (end < 0) return out;
            start = end + 1;
        }
    }

    /** Packets as one long-polling response body. */
    public static String encodePayload(List<EngineIo4Packet> packets) {
        StringBuilder sb = new StringBuilder();
        for (EngineIo4Packet p : packets) {
            if (!sb.isEmpty()) sb.append(SEPARATOR);
            if (p.isBinary()) {
                sb.append('b').append(Base64.getEncoder().encodeToString(p.binary()));
            } else {
                sb.append(p.type().code()).append(p.text());
            }
        }
        return sb.toString();
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
