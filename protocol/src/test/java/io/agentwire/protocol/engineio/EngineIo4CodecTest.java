package io.agentwire.protocol.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineIo4CodecTest {

    @Test
    void decodesEveryPacketType() throws Exception {
        assertThat(EngineIo4Codec.decodePacket("0{\"sid\":\"x\"}")).isEqualTo(EngineIo4Packet.of(EngineIo4Packet.Type.OPEN, "{\"sid\":\"x\"}"));
        assertThat(EngineIo4Codec.decodePacket("1")).isEqualTo(EngineIo4Packet.CLOSE);
        assertThat(EngineIo4Codec.decodePacket("2")).isEqualTo(EngineIo4Packet.PING);
        assertThat(EngineIo4Codec.decodePacket("2probe")).isEqualTo(EngineIo4Packet.of(EngineIo4Packet.Type.PING, "probe"));
        assertThat(EngineIo4Codec.decodePacket("3probe").type()).isEqualTo(EngineIo4Packet.Type.PONG);
        assertThat(EngineIo4Codec.decodePacket("4hello é")).isEqualTo(EngineIo4Packet.message("hello é"));
        assertThat(EngineIo4Codec.decodePacket("5")).isEqualTo(EngineIo4Packet.UPGRADE);
        assertThat(EngineIo4Codec.decodePacket("6")).isEqualTo(EngineIo4Packet.NOOP);
        assertThat(EngineIo4Codec.decodePacket("bAQID")).isEqualTo(EngineIo4Packet.binary(new byte[] {1, 2, 3}));
    }

    @Test
    void encodesFramesAndPayloads() {
        assertThat(EngineIo4Codec.encodePacket(EngineIo4Packet.message("hi"))).isEqualTo("4hi");
        assertThat(EngineIo4Codec.encodePacket(EngineIo4Packet.PING)).isEqualTo("2");
        assertThat(EngineIo4Codec.encodePayload(List.of(EngineIo4Packet.message("hello"), EngineIo4Packet.binary(new byte[] {1, 2, 3, 4}))))
                .isEqualTo("4hello\u001ebAQIDBA==");
        assertThat(EngineIo4Codec.encodePayload(List.of(EngineIo4Packet.NOOP))).isEqualTo("6");
        assertThatThrownBy(() -> EngineIo4Codec.encodePacket(EngineIo4Packet.binary(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadRoundTrips() throws Exception {
        List<EngineIo4Packet> packets = List.of(EngineIo4Packet.message("a\u00e9\ud83d\ude00"), EngineIo4Packet.PONG,
                EngineIo4Packet.binary(new byte[] {0, -1, 127}), EngineIo4Packet.message(""), EngineIo4Packet.CLOSE);
        assertThat(EngineIo4Codec.decodePayload(EngineIo4Codec.encodePayload(packets))).isEqualTo(packets);
    }

    @Test
    void binaryFrameIsOneBinaryMessage() {
        EngineIo4Packet p = EngineIo4Codec.decodeBinaryFrame(new byte[] {4, 5});
        assertThat(p.isBinary()).isTrue();
        assertThat(p.type()).isEqualTo(EngineIo4Packet.Type.MESSAGE);
        assertThat(p.binary()).containsExactly(4, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "9hello", "x", "b!!!", "ba", "4a\u001e", "\u001e4a", "4a\u001e\u001e4b"})
    void malformedInputIsTheDocumentedParseError(String body) {
        assertThatThrownBy(() -> EngineIo4Codec.decodePayload(body)).isInstanceOf(EngineIo4ParseException.class);
    }

    @Test
    void aPacketMayNotCarryTextAndBinary() {
        assertThatThrownBy(() -> new EngineIo4Packet(EngineIo4Packet.Type.PING, "", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
