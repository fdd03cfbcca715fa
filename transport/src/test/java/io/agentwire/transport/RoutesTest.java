package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private static final HttpHandler A = r -> CompletableFuture.completedFuture(HttpReply.text(200, "a"));
    private static final HttpHandler B = r -> CompletableFuture.completedFuture(HttpReply.text(200, "b"));
    private static final HttpHandler C = r -> CompletableFuture.completedFuture(HttpReply.text(200, "c"));
    private static final Authenticator ANYONE = r -> new Authenticator.Accepted(Principal.ANONYMOUS);

    @Test
    void exactBeatsPrefixAndLongerPrefixBeatsShorter() {
        Routes routes = Routes.builder()
                .get("/socket.io/special", A)
                .prefixRoute("GET", "/socket.io/", B)
                .prefixRoute("post", "/socket.io/", B)
                .prefixRoute("GET", "/", C)
                .build();
        assertThat(routes.http("GET", "/socket.io/special")).isEqualTo(new Routes.Found(A));
        assertThat(routes.http("GET", "/socket.io/?EIO=4")).isEqualTo(new Routes.Found(B));
        assertThat(routes.http("POST", "/socket.io/x")).isEqualTo(new Routes.Found(B));
        assertThat(routes.http("GET", "/other")).isEqualTo(new Routes.Found(C));
        assertThat(routes.http("DELETE", "/socket.io/x")).isEqualTo(new Routes.MethodNotAllowed("GET, POST"));
    }

    @Test
    void unknownPathAndWrongMethod() {
        Routes routes = Routes.builder().get("/healthz", A).post("/healthz", B).build();
        assertThat(routes.http("GET", "/nope")).isEqualTo(new Routes.NotFound());
        assertThat(routes.http("PUT", "/healthz")).isEqualTo(new Routes.MethodNotAllowed("GET, POST"));
    }

    @Test
    void webSocketEndpointsExactThenLongestPrefix() {
        WebSocketEndpoint exact = WebSocketEndpoint.at("/ws", ANYONE, new RecordingHandler(false));
        WebSocketEndpoint tracking = WebSocketEndpoint.under("/ws/agent-tracking/", ANYONE, new RecordingHandler(false));
        WebSocketEndpoint any = WebSocketEndpoint.under("/ws/", ANYONE, new RecordingHandler(false));
        Routes routes = Routes.builder().webSocket(any).webSocket(tracking).webSocket(exact).build();
        assertThat(routes.webSocket("/ws")).containsSame(exact);
        assertThat(routes.webSocket("/ws/agent-tracking/7")).containsSame(tracking);
        assertThat(routes.webSocket("/ws/other")).containsSame(any);
        assertThat(routes.webSocket("/wsx")).isEmpty();
    }

    @Test
    void registrationErrors() {
        assertThatThrownBy(() -> Routes.builder().get("/a", A).get("/a", B))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a route is already registered for GET /a");
        assertThatThrownBy(() -> Routes.builder().get("a", A))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("path must start with '/', was a");
        assertThatThrownBy(() -> Routes.builder().get("/a?b", A))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("path must not hold a query, was /a?b");
        WebSocketEndpoint ws = WebSocketEndpoint.at("/ws", ANYONE, new RecordingHandler(false));
        assertThatThrownBy(() -> Routes.builder().webSocket(ws).webSocket(ws))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a WebSocket endpoint is already registered at /ws");
    }

    @Test
    void replyHelpers() {
        HttpReply json = HttpReply.json(201, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("k", "v"));
        assertThat(new String(json.body())).isEqualTo("{\"k\":\"v\"}");
        assertThat(json.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(HttpReply.text(200, "hi").withHeader("x-a", "1").headers()).containsEntry("x-a", "1");
        assertThatThrownBy(() -> HttpReply.text(99, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("status must be 100..599, was 99");
    }
}
