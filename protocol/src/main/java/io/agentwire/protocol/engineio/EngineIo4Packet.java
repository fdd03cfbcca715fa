package io.agentwire.protocol.engineio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Engine.IO v4 packet: its type and either a text payload (possibly empty) or, for a binary message, bytes.
 * Immutable as far as callers keep the byte array unchanged (it is not copied).
 *
 * @param type the packet type
 * @param text the text payload ({@code ""} when there is none); empty for a binary packet
 * @param binary the payload of a binary {@link Type#MESSAGE}, else null
 */
public record EngineIo4Packet(Type type, String text, byte[] binary) {

    /** Packet types and their wire digit. */
    public enum Type {
        OPEN('0'), CLOSE('1'), PING('2'), PONG('3'), MESSAGE('4'), UPGRADE('5'), NOOP('6');

        private final char code;

        Type(char code) {
            this.code = code;
        }

        /** The digit that starts the packet on the wire. */
        public char code() {
            return code;
        }

        /** By wire digit; {@code values()} would copy its array on every packet. */
        private static final Type[] BY_DIGIT = values();

        static Type of(char c) {
            return c >= '0' && c <= '6' ? BY_DIGIT[c - '0'] : null;
        }
    }

    public static final EngineIo4Packet PING = new EngineIo4Packet(Type.PING, "", null);
    public static final EngineIo4Packet PONG = new EngineIo4Packet(Type.PONG, "", null);
    public static final EngineIo4Packet CLOSE = new EngineIo4Packet(Type.CLOSE, "", null);
    public static final EngineIo4Packet NOOP = new EngineIo4Packet(Type.NOOP, "", null);
    public static final EngineIo4Packet UPGRADE = new EngineIo4Packet(Type.UPGRADE, "", null);

    public EngineIo4Packet {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        if (binary != null && (type != Type.MESSAGE || !text.isEmpty())) {
            throw new IllegalArgumentException("only a message packet without text may carry binary data");
        }
    }

    /** A text message. */
    public static EngineIo4Packet message(String text) {
        return new EngineIo4Packet(Type.MESSAGE, text, null);
    }

    /** A binary message. */
    public static EngineIo4Packet binary(byte[] data) {
        return new EngineIo4Packet(Type.MESSAGE, "", Objects.requireNonNull(data, "data"));
    }

    /** A packet of {@code type} with a text payload. */
    public static EngineIo4Packet of(Type type, String text) {
        return new EngineIo4Packet(type, text, null);
    }

    public boolean isBinary() {
        return binary != null;
    }

    /** Bytes this packet occupies in a payload (an estimate for binary: its base64 length). */
    public int wireLength() {
        return binary != null ? 1 + (binary.length + 2) / 3 * 4 : 1 + text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineIo4Packet p && type == p.type && text.equals(p.text) && Arrays.equals(binary, p.binary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, text, Arrays.hashCode(binary));
    }

    @Override
    public String toString() {
        return "EngineIo4Packet[" + type + (binary != null ? ", " + binary.length + " bytes" : ", " + text) + "]";
    }
}
