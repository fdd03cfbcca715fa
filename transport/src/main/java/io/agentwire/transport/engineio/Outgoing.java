package io.agentwire.transport.engineio;

import io.agentwire.protocol.engineio.EngineIo4Codec;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import io.agentwire.transport.WsFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Packets to send to one or many sessions, with each WebSocket frame encoded once: a broadcast to 10 000 WebSocket
 * sessions writes one shared {@link WsFrame} (header and payload) per packet instead of encoding, framing and copying
 * the text 10 000 times (rule 7 of DESIGN.md).
 * Long-polling sessions use {@link #packets()} (a poll joins whatever is waiting, so its body is per session).
 * Immutable.
 */
public final class Outgoing {
    private final List<EngineIo4Packet> packets;
    private final WsFrame[] frames;
    private final long bytes;

    private Outgoing(List<EngineIo4Packet> packets) {
        this.packets = List.copyOf(packets);
        this.frames = new WsFrame[this.packets.size()];
        long n = 0;
        for (int i = 0; i < frames.length; i++) {
            EngineIo4Packet p = this.packets.get(i);
            frames[i] = p.isBinary() ? WsFrame.binary(p.binary())
                    : WsFrame.text(EngineIo4Codec.encodePacket(p).getBytes(StandardCharsets.UTF_8));
            n += frames[i].payloadLength();
        }
        this.bytes = n;
    }

    /** The packets, in order; their frames are encoded now. */
    public static Outgoing of(List<EngineIo4Packet> packets) {
        return new Outgoing(packets);
    }

    /** The packets, in order. */
    public List<EngineIo4Packet> packets() {
        return packets;
    }

    /** The bytes of the WebSocket frames (counted once, for statistics). */
    public long byteLength() {
        return bytes;
    }

    int size() {
        return frames.length;
    }

    /** The WebSocket frame of packet {@code i}: UTF-8 text, or the binary payload. */
    WsFrame frame(int i) {
        return frames[i];
    }

    @Override
    public String toString() {
        return "Outgoing" + packets;
    }
}
