package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Rule 4 over real sockets: a client that stops reading is cut off with 4008 once its queue overflows, while a
 * reading client on the same server (and the same event loop) keeps getting every message, in order, without
 * waiting for the stuck one.
 */
@Tag("integration")
class SlowConsumerIntegrationTest {
    private static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    private static final byte[] BODY = new byte[64 * 1024];

    static {
        Arrays.fill(BODY, (byte) 'x');
    }

    private final RecordingHandler handler = new RecordingHandler(false);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Transport transport;
    private TestServer server;

    @BeforeEach
    void start() {
        ((Logger) LoggerFactory.getLogger(ChannelWsConnection.class)).addAppender(logs);
        logs.start();
        transport = Transport.create(1); // one I/O thread: both connections share an event loop
        Routes routes = Routes.builder()
                .webSocket(WebSocketEndpoint.at("/ws", r -> new Authenticator.Accepted(Principal.ANONYMOUS), handler))
                .build();
        server = new TestServer(transport, TestServer.config()
                .withWriter(new WriterLimits(10_000, MAX_QUEUED_BYTES, Duration.ofMillis(500))), routes);
    }

    @AfterEach
    void stop() {
        server.close();
        transport.close();
        ((Logger) LoggerFactory.getLogger(ChannelWsConnection.class)).detachAppender(logs);
    }

    @Test
    void stuckClientIsCutOffWhileAReadingClientKeepsUp() throws Exception {
        ClientListener stuckClient = new ClientListener(1);
        WebSocket stuckWs = server.connect("/ws", stuckClient);
        WsConnection stuck = handler.awaitOpen();
        ClientListener fastClient = new ClientListener();
        server.connect("/ws", fastClient);
        WsConnection fast = handler.awaitOpen();

        assertThat(stuck.send("hello")).isTrue();
        assertThat(stuckClient.next()).isEqualTo("hello"); // …and from now on it requests nothing more

        // 1. fill the stuck client's socket buffers until the server-side queue stops draining
        int sentToStuck = 0;
        int queuedWhenStuck = 0;
        while (queuedWhenStuck == 0) {
            for (int i = 0; i < 16; i++) assertThat(stuck.send(prefix(sentToStuck++), BODY)).isTrue();
            Thread.sleep(20);
            int queued = stuck.queuedMessages();
            if (queued > 0) {
                Thread.sleep(100); // an idle event loop that made no progress: the socket is full
                if (stuck.queuedMessages() == queued) queuedWhenStuck = queued;
            }
            assertThat(sentToStuck).as("the stuck client never stopped reading").isLessThan(20_000);
        }

        // 2. while it is stuck, another thread sends to the reading client: all arrive, in order
        List<String> expected = IntStream.range(0, 500).mapToObj(i -> "fast-" + i).toList();
        CompletableFuture.runAsync(() -> expected.forEach(m -> assertThat(fast.send(m)).isTrue()))
                .get(10, TimeUnit.SECONDS);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) got.add(fastClient.next());
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(stuck.isOpen()).as("the reading client did not wait for the stuck one").isTrue();
        assertThat(stuck.queuedMessages()).isGreaterThanOrEqualTo(queuedWhenStuck);

        // 3. keep sending to the stuck client (and, concurrently, to the reading one) until the queue overflows
        CompletableFuture<Void> more = CompletableFuture.runAsync(() ->
                IntStream.range(500, 1000).forEach(i -> assertThat(fast.send("fast-" + i)).isTrue()));
        int refusedAt = -1;
        for (int i = 0; i < 1_000 && refusedAt < 0; i++) {
            if (!stuck.send(prefix(sentToStuck), BODY)) refusedAt = sentToStuck;
            sentToStuck++;
        }
        assertThat(refusedAt).as("the stuck queue never overflowed").isPositive();
        assertThat(stuck.send("after overflow")).isFalse();

        RecordingHandler.Closed closed = handler.awaitClose();
        assertThat(closed.connection()).isSameAs(stuck);
        assertThat(closed.code()).isEqualTo(4008);
        assertThat(closed.reason()).isEqualTo("slow consumer: send queue overflow");
        assertThat(stuck.isOpen()).isFalse();
        assertThat(stuck.queuedMessages()).isZero();
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains(stuck.id(), "slow consumer");
        });

        // 4. the reading client got everything, in order, and is still served
        more.get(10, TimeUnit.SECONDS);
        for (int i = 500; i < 1000; i++) got.add(fastClient.next());
        assertThat(got).containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj(i -> "fast-" + i).toList());
        assertThat(fast.isOpen()).isTrue();
        assertThat(fast.send("still here")).isTrue();
        assertThat(fastClient.next()).isEqualTo("still here");
        assertThat(handler.closeCalls.get()).isEqualTo(1);
        stuckWs.abort();
    }

    private static byte[] prefix(int n) {
        return ("{\"n\":" + n + ",\"body\":\"").getBytes(StandardCharsets.UTF_8);
    }
}
