package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.transport.Transport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The echo server answers the socket.io-protocol test suite's checks as the reference server does. */
@Tag("integration")
class EchoServerTest {

    @Test
    void behavesLikeTheReferenceServer() throws Exception {
        try (Transport transport = Transport.create(1); EchoServer echo = EchoServer.start(transport, "127.0.0.1", 0)) {
            JsonNode r = NodeHarness.run("echo", echo.port());
            JsonNode h = r.get("handshake");
            assertThat(h.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
            assertThat(h.get("pingInterval").asInt()).isEqualTo(300);
            assertThat(h.get("pingTimeout").asInt()).isEqualTo(200);
            assertThat(h.get("maxPayload").asInt()).isEqualTo(1_000_000);
            assertThat(r.get("ping").asText()).isEqualTo("2");
            assertThat(r.get("pong").asInt()).isEqualTo(200);
            assertThat(r.get("afterTimeout").asInt()).isEqualTo(400);
            JsonNode c = r.get("connect");
            assertThat(c.get(0).asText()).contains("\"upgrades\":[]");
            assertThat(c.get(1).asText()).matches("40\\{\"sid\":\"[0-9a-f]+\"}");
            assertThat(c.get(2).asText()).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
            assertThat(r.get("custom").get(1).asText()).startsWith("40/custom,{\"sid\":");
            assertThat(r.get("custom").get(2).asText()).isEqualTo("42/custom,[\"auth\",{}]");
            assertThat(r.get("message").get(3).asText()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
            assertThat(r.get("ack").get(3).asText()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
            JsonNode b = r.get("binary");
            assertThat(b.get(3).asText()).isEqualTo("452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat(b.get(4).toString()).isEqualTo("[1,2,3]");
            assertThat(b.get(5).toString()).isEqualTo("[4,5,6]");
        }
    }
}
