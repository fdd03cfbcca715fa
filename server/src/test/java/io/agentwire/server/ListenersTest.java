package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.WebSocketEndpoint;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Grouping the dialects' listeners by address (no sockets): limits, sharing, overlaps. */
class ListenersTest {
    private static final ServerConfig HTTP = ServerConfig.of("0.0.0.0", 8080);
    private static final Authenticator ANYONE = r -> new Authenticator.Accepted(Principal.ANONYMOUS);
    private static final WsHandler NOTHING = new WsHandler() {
        @Override public void onOpen(WsConnection ws) { }
        @Override public void onText(WsConnection ws, String text) { }
        @Override public void onClose(WsConnection ws, int code, String reason) { }
    };

    private static Listener ws(Listener.Address a, int frame, String path) {
        return new Listener(a, frame, 1024, r -> r.webSocket(WebSocketEndpoint.at(path, ANYONE, NOTHING)));
    }

    @Test
    void theMainPortTakesTheFrameLimitOfItsDialects() {
        Listeners l = new Listeners(HTTP);
        l.add("envelope", ws(Listener.Address.MAIN, 64 * 1024, "/ws"));
        assertThat(l.main().config(HTTP).maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(l.groups()).hasSize(1);
    }

    @Test
    void oneAddressIsOneListenerWithTheLargestLimitsAndTheMainAddressJoinsTheMainPort() {
        Listeners l = new Listeners(HTTP);
        l.add("a", ws(new Listener.Address("0.0.0.0", 8000), 1000, "/a"));
        l.add("b", ws(new Listener.Address("0.0.0.0", 8000), 5000, "/b"));
        l.add("c", ws(new Listener.Address("127.0.0.1", 8000), 200, "/c"));
        l.add("d", ws(new Listener.Address("0.0.0.0", 8080), 200, "/d"));
        assertThat(l.groups()).hasSize(3);
        Listeners.Group shared = l.groups().get(1);
        assertThat(shared.owners).containsExactly("agentwire.a", "agentwire.b");
        assertThat(shared.config(HTTP).maxFrameBytes()).isEqualTo(5000);
        assertThat(l.main().owners).containsExactly("agentwire.d");
    }

    @Test
    void overlappingPathsAreRefusedNamingBothOwners() {
        Listeners l = new Listeners(HTTP);
        l.add("a", new Listener(new Listener.Address("0.0.0.0", 8000), 1000, 1000,
                r -> r.prefixRoute("GET", "/socket.io/", req -> CompletableFuture.completedFuture(HttpReply.json(200, "x")))));
        assertThatThrownBy(() -> l.add("b", ws(new Listener.Address("0.0.0.0", 8000), 1000, "/socket.io/b")))
                .isInstanceOf(StartupException.class)
                .hasMessage("agentwire.a and agentwire.b both serve /socket.io/* and /socket.io/b on 0.0.0.0:8000: "
                        + "give one of them another port (or path)");
        l.add("c", ws(new Listener.Address("0.0.0.0", 8000), 1000, "/socket.io")); // exact, outside the prefix
    }
}
