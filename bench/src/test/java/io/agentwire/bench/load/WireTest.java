package io.agentwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireTest {
    private final Wire.In in = new Wire.In();

    @Test
    void encodesTheBenchAppsMessagesPerProtocol() {
        assertThat(Wire.publish(Proto.SIO, 7, 123, "xx")).isEqualTo("42[\"publish\",7,123,\"xx\"]");
        assertThat(Wire.publish(Proto.WS, 7, 123, "xx")).isEqualTo("[\"publish\",7,123,\"xx\"]");
        assertThat(Wire.echo(Proto.SIO, 12, 99)).isEqualTo("4212[\"echo\",99]");
        assertThat(Wire.echo(Proto.WS, 12, 99)).isEqualTo("[\"echo\",99]");
        assertThat(Wire.sioConnect(null, null)).isEqualTo("40");
        assertThat(Wire.sioConnect("p1", "0:17")).isEqualTo("40{\"pid\":\"p1\",\"offset\":\"0:17\"}");
        assertThat(Wire.sioConnect("p1", null)).isEqualTo("40{\"pid\":\"p1\"}");
    }

    @Test
    void parsesEngineIoAndSocketIoPackets() {
        assertThat(Wire.parseSio("0{\"sid\":\"a\",\"pingInterval\":25000}", in).kind).isEqualTo(Wire.Kind.EIO_OPEN);
        assertThat(Wire.parseSio("2", in).kind).isEqualTo(Wire.Kind.EIO_PING);
        Wire.parseSio("40{\"sid\":\"s1\",\"pid\":\"p1\"}", in);
        assertThat(in.kind).isEqualTo(Wire.Kind.CONNECT);
        assertThat(Wire.field(in.connectJson, "sid")).isEqualTo("s1");
        assertThat(Wire.field(in.connectJson, "pid")).isEqualTo("p1");
        assertThat(Wire.field(in.connectJson, "offset")).isNull();

        Wire.parseSio("42[\"m\",5,123456789,\"xxxx\",\"3:41\"]", in);
        assertThat(in.kind).isEqualTo(Wire.Kind.EVENT);
        assertThat(in.strings[0]).isEqualTo("m");
        assertThat(in.numbers).containsExactly(5, 123456789);
        assertThat(in.offset()).isEqualTo("3:41");
        Wire.parseSio("42[\"m\",6,1,\"xxxx\"]", in);
        assertThat(in.offset()).isNull();

        Wire.parseSio("4317[987]", in);
        assertThat(in.kind).isEqualTo(Wire.Kind.ACK);
        assertThat(in.ackId).isEqualTo(17);
        assertThat(in.numbers[0]).isEqualTo(987);
        assertThat(in.numberCount).isEqualTo(1);
    }

    @Test
    void skipsNestedValuesAndUnescapesStrings() {
        Wire.parseSio("42/chat,[\"m\",{\"a\":[1,2,\"]\"]},-3,2.5e3,\"q\\\"x\",\"o\"]", in);
        assertThat(in.kind).isEqualTo(Wire.Kind.EVENT);
        assertThat(in.numbers).containsExactly(-3, 2);
        assertThat(in.strings).containsExactly("m", "q\"x", "o");
    }

    @Test
    void parsesThePlainWebSocketFrames() {
        Wire.parseWs("[\"m\",3,44,\"pad\"]", in);
        assertThat(in.kind).isEqualTo(Wire.Kind.EVENT);
        assertThat(in.numbers).containsExactly(3, 44);
        Wire.parseWs("[\"ack\",44]", in);
        assertThat(in.kind).isEqualTo(Wire.Kind.ACK);
        assertThat(in.numbers[0]).isEqualTo(44);
    }
}
