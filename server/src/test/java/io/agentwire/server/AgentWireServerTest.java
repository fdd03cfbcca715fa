package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class AgentWireServerTest {
    @TempDir
    Path dir;

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessMetricsAndTheEnvelopeEndpointThenFreesThePort() throws Exception {
        int port;
        try (AgentWireServer server = new AgentWireServer(TestConfigs.production(dir))) {
            port = server.start();
            assertThat(port).isPositive().isEqualTo(server.port());

            HttpResponse<String> health = get(port, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"checks\":{\"store\":true,\"broker\":true,\"rooms grants\":true}}");

            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body()).contains("agentwire_envelope_connections ", "agentwire_http_connections ",
                    "agentwire_store_commits_total ", "agentwire_agent_runs_active ", "jvm_memory_used_bytes",
                    "agentwire_rooms_connections 0.0", "agentwire_rooms_events_published_total 0.0");

            assertThatThrownBy(() -> connect(port, ""))
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(401));
            String token = DevCredentials.resolve(TestConfigs.dev(dir), java.time.Clock.systemUTC()).sampleToken()
                    .orElseThrow(); // signed with another (generated) secret
            assertThatThrownBy(() -> connect(port, "?token=" + token))
                    .cause().isInstanceOf(WebSocketHandshakeException.class);

            WebSocket ws = connect(port, "?token=" + validToken());
            assertThat(received.poll(10, TimeUnit.SECONDS)).contains("\"event\":\"system.connected\"");
            ws.sendText("{\"event\":\"user.create_session\",\"content\":{}}", true).get(5, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).contains("\"event\":\"agent.session_created\"")
                    .contains("\"seq\":1");
            assertThat(get(port, "/metrics").body()).contains("agentwire_envelope_connections 1.0")
                    .doesNotContain("agentwire_store_commits_total 0.0");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static String validToken() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new MACSigner(TestConfigs.SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private WebSocket connect(int port, String query) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws" + query), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeIsIdempotentAndAClosedServerDoesNotRestart() {
        AgentWireServer server = new AgentWireServer(TestConfigs.dev(dir));
        server.close(); // never started: nothing to do
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        assertThat(server.port()).isEqualTo(-1);
    }

    @Test
    void aFailedStartClosesWhatItOpened() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AgentWireConfig cfg = AgentWireConfig.load(null, java.util.Map.of(), java.util.Map.of(
                    "agentwire.dev", true, "agentwire.http.host", "127.0.0.1",
                    "agentwire.http.port", taken.getLocalPort(), "agentwire.data-dir", dir.toString()));
            AgentWireServer server = new AgentWireServer(cfg);
            assertThatThrownBy(server::start).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("can not listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(server.port()).isEqualTo(-1);
            server.close();
        }
        // the store was closed (its directory lock released): another server can use the directory now
        try (AgentWireServer next = new AgentWireServer(TestConfigs.dev(dir))) {
            assertThat(next.start()).isPositive();
        }
    }

    @Test
    void aDataDirectoryInUseIsAStartupError() {
        try (AgentWireServer first = new AgentWireServer(TestConfigs.dev(dir))) {
            first.start();
            AgentWireServer second = new AgentWireServer(TestConfigs.dev(dir));
            assertThatThrownBy(second::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining("can not open the store in " + dir);
        }
    }
}
