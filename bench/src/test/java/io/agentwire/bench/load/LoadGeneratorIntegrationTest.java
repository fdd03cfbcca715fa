package io.agentwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.bench.peer.AgentWireSocketIoPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator's codecs, order checks, latency capture and Socket.IO recovery against the real AgentWire bench app
 * on 127.0.0.1, with one event loop and with two (clients spread over both, their counts merged); then the
 * scenarios themselves, run with two loops, whose figures must add up (every delivery counted once, no gap or
 * duplicate, histograms merged). Proves the load generator works, measures nothing (the deadlines only bound a
 * hang).
 */
@Tag("integration")
class LoadGeneratorIntegrationTest {
    private final List<Long> echoed = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} event loop(s)")
    @ValueSource(ints = {1, 2})
    void echoesAreTimedBroadcastsArriveInOrderAndADroppedClientRecoversWhatItMissed(int loops) throws Exception {
        try (AgentWireSocketIoPeer.Running server = AgentWireSocketIoPeer.start(0);
             Loader loader = new Loader("127.0.0.1", server.port(), Proto.SIO, loops)) {
            Tallies acks = new Tallies(loader);
            Conn.Listener listener = new Conn.Listener() {
                @Override public void ack(Conn c, long sent, long now) {
                    echoed.add(sent);
                    acks.of(c).add(now, 1);
                }
            };
            List<Conn> clients = List.of(new Conn(0, Proto.SIO, listener), new Conn(1, Proto.SIO, listener),
                    new Conn(2, Proto.SIO, listener));
            assertThat(loader.connectAll(clients, 3, 10_000_000_000L)).isEqualTo(3);
            Conn publisher = clients.get(0);
            Conn dropped = clients.get(1);
            assertThat(loader.loopOf(dropped)).isEqualTo(loops == 1 ? 0 : 1);

            for (Conn c : clients) {
                loader.onLoop(c, () -> {
                    c.echo(4200 + c.index);
                    return null;
                });
            }
            await(() -> echoed.size() == 3);
            assertThat(echoed).containsExactlyInAnyOrder(4200L, 4201L, 4202L);
            Tallies.Snapshot merged = acks.snapshot();
            assertThat(merged.count()).isEqualTo(3);
            assertThat(merged.latency().getTotalCount()).isEqualTo(3);

            for (int seq = 1; seq <= 3; seq++) publisher.send(Wire.publish(Proto.SIO, seq, seq, "pad"));
            await(() -> loader.sum(clients, c -> c.lastSeq == 3 ? 1 : 0) == 3);
            String offset = loader.onLoop(dropped, () -> dropped.offset);
            assertThat(offset).as("recovery offset appended to broadcasts").isNotNull();
            String pid = loader.onLoop(dropped, () -> dropped.pid);

            dropped.drop();
            await(() -> !loader.onLoop(dropped, dropped::ready));
            for (int seq = 4; seq <= 6; seq++) publisher.send(Wire.publish(Proto.SIO, seq, seq, "pad"));
            await(() -> loader.onLoop(publisher, () -> publisher.lastSeq) == 6);
            loader.connect(dropped);
            await(() -> loader.onLoop(dropped, () -> dropped.ready() && dropped.lastSeq == 6));

            assertThat(loader.onLoop(dropped, () -> dropped.recovered)).isTrue();
            assertThat(loader.onLoop(dropped, () -> dropped.pid)).isEqualTo(pid);
            for (Conn c : clients) {
                assertThat(loader.onLoop(c, () -> new long[] {c.received, c.gaps, c.duplicates}))
                        .containsExactly(6, 0, 0);
            }
            assertThat(loader.sum(clients, c -> c.received)).isEqualTo(18);

            // leave(): the Socket.IO goodbye (41) before the close, after which the server keeps nothing to recover
            loader.onLoop(dropped, () -> {
                dropped.leave();
                return null;
            });
            await(() -> !loader.onLoop(dropped, dropped::ready));
            publisher.send(Wire.publish(Proto.SIO, 7, 7, "pad"));
            await(() -> loader.onLoop(publisher, () -> publisher.lastSeq) == 7);
            loader.connect(dropped);
            await(() -> loader.onLoop(dropped, dropped::ready));
            assertThat(loader.onLoop(dropped, () -> dropped.recovered)).as("recovered after a goodbye").isFalse();
            assertThat(loader.onLoop(dropped, () -> dropped.pid)).isNotEqualTo(pid);
        }
    }

    @Test
    void talliesOfSeveralLoopsMergeIntoOneCountAndHistogram() throws Exception {
        try (Loader loader = new Loader("127.0.0.1", 1, Proto.SIO, 2)) {
            Tallies tallies = new Tallies(loader);
            Conn even = new Conn(0, Proto.SIO, new Conn.Listener() { });
            Conn odd = new Conn(1, Proto.SIO, new Conn.Listener() { });
            loader.onLoop(even, () -> {
                tallies.of(even).add(100, 1_000_000);
                tallies.of(even).add(200, 2_000_000);
                return null;
            });
            loader.onLoop(odd, () -> {
                tallies.of(odd).add(150, 3_000_000);
                tallies.of(odd).add(170, -1); // counted, no latency
                return null;
            });
            Tallies.Snapshot s = tallies.snapshot();
            assertThat(s.count()).isEqualTo(4);
            assertThat(s.last()).isEqualTo(200);
            Histogram h = s.latency();
            assertThat(h.getTotalCount()).isEqualTo(3);
            assertThat(h.getValueAtPercentile(50)).isBetween(1_999_000L, 2_001_000L);
            assertThat(h.getMaxValue()).isBetween(2_999_000L, 3_001_000L);
            tallies.reset();
            assertThat(tallies.count()).isZero();
        }
    }

    @Test
    void theScenariosRunWithTwoLoopsAndTheirFiguresAddUp() throws Exception {
        try (AgentWireSocketIoPeer.Running server = AgentWireSocketIoPeer.start(0)) {
            Map<String, String> fanout = scenario(server, "fanout", "--n", "7", "--rates", "20", "--seconds", "1",
                    "--warmup", "1");
            assertThat(fanout).containsEntry("generator_loops", "2").containsEntry("members", "7");
            for (String step : List.of("saturation", "rate_20")) {
                long published = Long.parseLong(fanout.get(step + "_published"));
                assertThat(published).as(step).isPositive();
                assertThat(fanout).containsEntry(step + "_missing", "0")
                        .containsEntry(step + "_latency_count", String.valueOf(published * 7))
                        .containsKey(step + "_generator_busiest_loop_cpu_cores");
            }
            assertThat(fanout).containsEntry("order_gaps", "0").containsEntry("order_duplicates", "0");

            // unmeasured until 3 s after the connects, then one JIT round of 2 s (a second would end after 5 s)
            Map<String, String> echo = scenario(server, "echo", "--n", "5", "--seconds", "1", "--warmup", "1",
                    "--measure-after", "3", "--warmup-max-seconds", "5", "--windows", "1", "--paced-rate", "300",
                    "--paced-seconds", "1", "--paced-after", "0",
                    "--server-pid", String.valueOf(ProcessHandle.current().pid()));
            assertThat(echo).containsEntry("clients", "5").containsKey("warmup_last_server_jit_share");
            assertThat(Double.parseDouble(echo.get("warmup_seconds"))).isBetween(5.0, 6.5);
            // the "server" is this JVM: the share of its CPU over the windows that was system time
            assertThat(Double.parseDouble(echo.get("measured_server_kernel_share"))).isBetween(0.0, 1.0);
            assertThat(Long.parseLong(echo.get("latency_count"))).isPositive();
            assertThat(Double.parseDouble(echo.get("round_trips_per_s"))).isPositive();
            // the paced step: 300 echoes/s for 1 s spread over both loops' clients, every one answered and timed
            assertThat(echo).containsEntry("half_target_round_trips_per_s", "300.000").containsEntry("half_unanswered", "0");
            assertThat(Double.parseDouble(echo.get("half_offered_round_trips_per_s"))).isBetween(150.0, 330.0);
            assertThat(Long.parseLong(echo.get("half_latency_count"))).isBetween(150L, 330L);

            Map<String, String> storm = scenario(server, "storm", "--n", "7", "--away-ms", "500", "--rate", "20");
            assertThat(storm).containsEntry("clients", "7").containsEntry("resumed", "7")
                    .containsEntry("all_resumed", "true").containsEntry("not_recovered", "0")
                    .containsEntry("gaps", "0").containsEntry("duplicates", "0");

            // a warm-up of at least 2 s: rounds of 6 clients (each round and its 1 s pause: 2 or 3 of them), ended by
            // time (this server's JIT share over a tiny round is whatever it is) and by the 3 s at most
            Map<String, String> connect = scenario(server, "connect", "--n", "30", "--seconds", "5", "--warmup-n", "6",
                    "--warmup-seconds", "2", "--warmup-max-seconds", "3",
                    "--server-pid", String.valueOf(ProcessHandle.current().pid()));
            assertThat(connect).containsEntry("connected", "30").containsEntry("connect_latency_count", "30");
            int rounds = Integer.parseInt(connect.get("warmup_rounds"));
            assertThat(rounds).isBetween(2, 3);
            assertThat(connect).containsEntry("warmup_connected", String.valueOf(6 * rounds))
                    .containsKey("warmup_last_server_jit_share");
            assertThat(Double.parseDouble(connect.get("warmup_seconds"))).isBetween(2.0, 4.5);
            // the "server" is this JVM: its JIT compiler threads' share of its CPU over the step
            assertThat(Double.parseDouble(connect.get("measured_server_jit_share"))).isBetween(0.0, 1.0);

            Map<String, String> idle = scenario(server, "idle", "--n", "8", "--settle", "0",
                    "--server-pid", String.valueOf(ProcessHandle.current().pid()));
            assertThat(idle).containsEntry("connections", "8").containsEntry("half_connections", "4")
                    .containsEntry("failed", "0").containsKey("rss_marginal_per_conn_kib");
        }
    }

    /** Runs one scenario with two loops against {@code server}; its results by key. */
    private Map<String, String> scenario(AgentWireSocketIoPeer.Running server, String name, String... args)
            throws IOException {
        Path out = dir.resolve(name + ".tsv");
        Map<String, String> options = new HashMap<>(Map.of("scenario", name, "proto", "sio", "port",
                String.valueOf(server.port()), "loops", "2", "label", "agentwire", "out", out.toString()));
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].substring(2), args[i + 1]);
        assertThat(LoadGen.run(options)).as(name + " ran to its end").isZero();
        Map<String, String> results = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split("\t", 4);
            assertThat(f[0] + "\t" + f[1]).isEqualTo("agentwire\t" + name);
            results.put(f[2], f[3]);
        }
        assertThat(results).doesNotContainKey("error");
        return results;
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
