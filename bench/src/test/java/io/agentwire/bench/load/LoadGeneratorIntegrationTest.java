package io.agentwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.bench.peer.AgentWireSocketIoPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The generator's codecs, order checks, latency capture and Socket.IO recovery against the real AgentWire bench app
 * on 127.0.0.1, with three clients: proves the load generator works, measures nothing (the deadlines only bound a
 * hang).
 */
@Tag("integration")
class LoadGeneratorIntegrationTest {
    private final Histogram acks = LoadGen.histogram();
    private final List<Long> echoed = new ArrayList<>();

    @Test
    void echoesAreTimedBroadcastsArriveInOrderAndADroppedClientRecoversWhatItMissed() throws Exception {
        Conn.Listener listener = new Conn.Listener() {
            @Override public void ack(Conn c, long sent, long now) {
                echoed.add(sent);
                acks.recordValue(1);
            }
        };
        try (AgentWireSocketIoPeer.Running server = AgentWireSocketIoPeer.start(0);
             Loader loader = new Loader("127.0.0.1", server.port(), Proto.SIO)) {
            List<Conn> clients = List.of(new Conn(0, Proto.SIO, listener), new Conn(1, Proto.SIO, listener),
                    new Conn(2, Proto.SIO, listener));
            assertThat(loader.connectAll(clients, 3, 10_000_000_000L)).isEqualTo(3);
            Conn publisher = clients.get(0);
            Conn dropped = clients.get(1);

            loader.onLoop(() -> {
                publisher.echo(4242);
                return null;
            });
            await(loader, () -> echoed.size() == 1);
            assertThat(loader.onLoop(() -> echoed)).containsExactly(4242L);
            assertThat(loader.onLoop(() -> acks.getTotalCount())).isEqualTo(1);

            for (int seq = 1; seq <= 3; seq++) publisher.send(Wire.publish(Proto.SIO, seq, seq, "pad"));
            await(loader, () -> clients.stream().allMatch(c -> c.lastSeq == 3));
            String offset = loader.onLoop(() -> dropped.offset);
            assertThat(offset).as("recovery offset appended to broadcasts").isNotNull();
            String pid = loader.onLoop(() -> dropped.pid);

            dropped.drop();
            await(loader, () -> !dropped.ready());
            for (int seq = 4; seq <= 6; seq++) publisher.send(Wire.publish(Proto.SIO, seq, seq, "pad"));
            await(loader, () -> publisher.lastSeq == 6);
            loader.connect(dropped);
            await(loader, () -> dropped.ready() && dropped.lastSeq == 6);

            assertThat(loader.onLoop(() -> dropped.recovered)).isTrue();
            assertThat(loader.onLoop(() -> dropped.pid)).isEqualTo(pid);
            for (Conn c : clients) {
                assertThat(loader.onLoop(() -> new long[] {c.received, c.gaps, c.duplicates}))
                        .containsExactly(6, 0, 0);
            }
        }
    }

    private static void await(Loader loader, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!loader.onLoop(condition)) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
