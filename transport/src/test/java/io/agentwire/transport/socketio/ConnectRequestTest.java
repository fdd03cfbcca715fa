package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A CONNECT's auth as a middleware and {@code socket.handshake()} read it. */
class ConnectRequestTest {
    static final Authenticator.Request HTTP = new Authenticator.Request("/socket.io/", Map.of(), Map.of(), "127.0.0.1");

    @Test
    void noAuthAndAnEmptyOneAreReadAsAnEmptyObjectThatAReaderMayChangeWithoutChangingTheRequest() {
        for (ObjectNode sent : new ObjectNode[] {null, JsonNodeFactory.instance.objectNode()}) {
            ConnectRequest r = new ConnectRequest("/", sent, HTTP, Principal.ANONYMOUS, false);
            assertThat(r.auth()).isEqualTo(JsonNodeFactory.instance.objectNode());
            r.auth().put("changed", true);
            assertThat(r.auth().isEmpty()).isTrue();
            assertThat(r).isEqualTo(new ConnectRequest("/", null, HTTP, Principal.ANONYMOUS, false));
        }
    }

    @Test
    void anAuthWithPropertiesIsKeptAsSent() {
        ObjectNode sent = JsonNodeFactory.instance.objectNode().put("token", "secret");
        ConnectRequest r = new ConnectRequest("/", sent, HTTP, Principal.ANONYMOUS, false);
        assertThat(r.auth()).isSameAs(sent);
        assertThat(r.auth().path("token").asText()).isEqualTo("secret");
    }
}
