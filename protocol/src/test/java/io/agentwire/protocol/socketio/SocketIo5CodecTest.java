package io.agentwire.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.protocol.socketio.SocketIo5Packet.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocketIo5CodecTest {
    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private static JsonNode json(String s) throws Exception {
        return SocketIo5Codec.mapper().readTree(s);
    }

    private static SocketIo5Packet decode(String s) throws Exception {
        return new SocketIo5Decoder().add(s);
    }

    @Test
    void encodesEveryTextPacketType() throws Exception {
        assertThat(SocketIo5Codec.encodeText(SocketIo5Packet.of(Type.CONNECT, "/", json("{\"sid\":\"a\"}")))).isEqualTo("0{\"sid\":\"a\"}");
        assertThat(SocketIo5Codec.encodeText(SocketIo5Packet.of(Type.CONNECT, "/admin", json("{\"sid\":\"a\",\"pid\":\"p\"}"))))
                .isEqualTo("0/admin,{\"sid\":\"a\",\"pid\":\"p\"}");
        assertThat(SocketIo5Codec.encodeText(SocketIo5Packet.of(Type.DISCONNECT, "/admin", null))).isEqualTo("1/admin,");
        assertThat(SocketIo5Codec.encodeText(SocketIo5Packet.of(Type.DISCONNECT, "/", null))).isEqualTo("1");
        assertThat(SocketIo5Codec.encodeText(SocketIo5Packet.of(Type.EVENT, "/", json("[\"hello\",1]")))).isEqualTo("2[\"hello\",1]");
        assertThat(SocketIo5Codec.encodeText(new SocketIo5Packet(Type.EVENT, "/admin", 12, json("[\"hello\"]"))))
                .isEqualTo("2/admin,12[\"hello\"]");
        assertThat(SocketIo5Codec.encodeText(new SocketIo5Packet(Type.ACK, "/", 13, json("[\"ok\"]")))).isEqualTo("313[\"ok\"]");
        assertThat(SocketIo5Codec.encodeText(SocketIo5Packet.of(Type.CONNECT_ERROR, "/random", json("{\"message\":\"Invalid namespace\"}"))))
                .isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void decodesEveryTextPacketType() throws Exception {
        assertThat(decode("0")).isEqualTo(SocketIo5Packet.of(Type.CONNECT, "/", null));
        assertThat(decode("0{\"token\":\"123\"}").data().get("token").asText()).isEqualTo("123");
        assertThat(decode("0/custom,")).isEqualTo(SocketIo5Packet.of(Type.CONNECT, "/custom", null));
        assertThat(decode("0/custom")).isEqualTo(SocketIo5Packet.of(Type.CONNECT, "/custom", null));
        assertThat(decode("0/custom,{\"token\":\"abc\"}").namespace()).isEqualTo("/custom");
        assertThat(decode("1/admin,")).isEqualTo(SocketIo5Packet.of(Type.DISCONNECT, "/admin", null));
        SocketIo5Packet e = decode("2/admin,456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
        assertThat(e.type()).isEqualTo(Type.EVENT);
        assertThat(e.namespace()).isEqualTo("/admin");
        assertThat(e.ackId()).isEqualTo(456);
        assertThat(e.eventName()).isEqualTo("message-with-ack");
        assertThat(decode("2[42]").data().get(0).asInt()).isEqualTo(42);
        assertThat(decode("3456[1,\"2\"]")).isEqualTo(new SocketIo5Packet(Type.ACK, "/", 456, json("[1,\"2\"]")));
        assertThat(decode("3456[]").data().size()).isZero();
        assertThat(decode("4{\"message\":\"no\",\"data\":{\"x\":1}}").data().get("data").get("x").asInt()).isEqualTo(1);
        assertThat(decode("4\"just text\"").data().asText()).isEqualTo("just text");
    }

    @Test
    void binaryEventRoundTripsWithNestedAttachments() throws Exception {
        ArrayNode data = N.arrayNode().add("upload").add(N.binaryNode(new byte[] {1, 2, 3}));
        data.addObject().put("name", "x").putArray("parts").add(N.binaryNode(new byte[] {4})).add(N.binaryNode(new byte[0]));
        SocketIo5Codec.Encoded enc = SocketIo5Codec.encode(new SocketIo5Packet(Type.EVENT, "/files", 7, data));
        assertThat(enc.text()).isEqualTo("53-/files,7[\"upload\",{\"_placeholder\":true,\"num\":0},"
                + "{\"name\":\"x\",\"parts\":[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]}]");
        assertThat(enc.attachments()).hasSize(3);
        assertThat(data.get(1).isBinary()).as("the caller's tree is not changed").isTrue();

        SocketIo5Decoder d = new SocketIo5Decoder();
        assertThat(d.add(enc.text())).isNull();
        assertThat(d.reconstructing()).isTrue();
        assertThat(d.add(enc.attachments().get(0))).isNull();
        assertThat(d.add(enc.attachments().get(1))).isNull();
        SocketIo5Packet p = d.add(enc.attachments().get(2));
        assertThat(p.type()).isEqualTo(Type.EVENT);
        assertThat(p.ackId()).isEqualTo(7);
        assertThat(p.data()).isEqualTo(data);
        assertThat(d.reconstructing()).isFalse();
    }

    @Test
    void withoutADecoderAPlainPacketDecodesAndABinaryOneIsLeftToADecoder() throws Exception {
        SocketIo5Packet p = SocketIo5Decoder.withoutAttachments("2/chat,12[\"hi\",1]");
        assertThat(p.type()).isEqualTo(Type.EVENT);
        assertThat(p.namespace()).isEqualTo("/chat");
        assertThat(p.ackId()).isEqualTo(12);
        String binary = "51-[\"up\",{\"_placeholder\":true,\"num\":0}]";
        assertThat(SocketIo5Decoder.withoutAttachments(binary)).isNull();
        SocketIo5Decoder d = new SocketIo5Decoder(); // what the connection makes then, with the same text
        assertThat(d.add(binary)).isNull();
        assertThat(d.add(new byte[] {7}).data().get(1).binaryValue()).containsExactly(7);
        assertThatThrownBy(() -> SocketIo5Decoder.withoutAttachments("9")).isInstanceOf(SocketIo5ParseException.class);
    }

    @Test
    void binaryAckIsEncodedAsType6() {
        ArrayNode data = N.arrayNode().add(N.binaryNode(new byte[] {9}));
        SocketIo5Codec.Encoded enc = SocketIo5Codec.encode(new SocketIo5Packet(Type.ACK, "/", 789, data));
        assertThat(enc.text()).isEqualTo("61-789[{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void theReferenceSuitesBinaryPacketDecodes() throws Exception {
        SocketIo5Decoder d = new SocketIo5Decoder();
        assertThat(d.add("52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")).isNull();
        assertThat(d.add(new byte[] {1, 2, 3})).isNull();
        SocketIo5Packet p = d.add(new byte[] {4, 5, 6});
        assertThat(p.data().get(1).binaryValue()).containsExactly(1, 2, 3);
        assertThat(p.data().get(2).binaryValue()).containsExactly(4, 5, 6);
    }

    @Test
    void aPlaceholderInATextEventStaysAnObject() throws Exception {
        SocketIo5Packet p = decode("2[\"x\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(p.data().get(1).isObject()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "7", "9[\"x\"]", "abc", "4abc",
            "2", "2{}", "2\"x\"", "2[]", "2[true]", "2[\"connect\"]", "2[\"disconnect\",1]", "2[\"x\"", "2[\"x\"] 1",
            "2abc[\"message\"]", "0[]", "0\"x\"", "1{}", "1/admin,[]", "3{}", "4[1]", "4 1",
            "5-[\"x\"]", "50-[\"x\"]", "5a-[\"x\"]", "51[\"x\"]", "511-[\"x\"]", "5999999999-[\"x\"]",
            "2999999999999999999999[\"x\"]", "2[NaN]", "2['x']",
    })
    void malformedInputIsTheDocumentedParseError(String text) {
        assertThatThrownBy(() -> decode(text)).isInstanceOf(SocketIo5ParseException.class);
    }

    @Test
    void attachmentsOutOfPlaceAreParseErrors() throws Exception {
        assertThatThrownBy(() -> new SocketIo5Decoder().add(new byte[] {1})).isInstanceOf(SocketIo5ParseException.class);
        SocketIo5Decoder d = new SocketIo5Decoder();
        d.add("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        assertThatThrownBy(() -> d.add("2[\"y\"]")).isInstanceOf(SocketIo5ParseException.class);
        SocketIo5Decoder d2 = new SocketIo5Decoder();
        d2.add("51-[\"x\",{\"_placeholder\":true,\"num\":1}]");
        assertThatThrownBy(() -> d2.add(new byte[] {1})).isInstanceOf(SocketIo5ParseException.class);
        SocketIo5Decoder d3 = new SocketIo5Decoder();
        d3.add("51-[\"x\",{\"_placeholder\":true,\"num\":0.5}]");
        assertThatThrownBy(() -> d3.add(new byte[] {1})).isInstanceOf(SocketIo5ParseException.class);
    }

    @Test
    void hugeNumbersStayValidJson() throws Exception {
        SocketIo5Packet p = decode("2[\"x\",1e400,12345678901234567890123]");
        String again = SocketIo5Codec.encodeText(p);
        assertThat(SocketIo5Codec.mapper().readTree(again.substring(1))).isNotNull();
        assertThat(again).doesNotContain("Infinity");
    }

    @Test
    void packetsValidateNamespaceAndAckId() {
        assertThatThrownBy(() -> SocketIo5Packet.of(Type.EVENT, "chat", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketIo5Packet.of(Type.EVENT, "/a,b", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketIo5Packet(Type.EVENT, "/", -2, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
