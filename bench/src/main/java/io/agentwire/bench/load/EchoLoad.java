package io.agentwire.bench.load;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * (c) echo with ack: {@code --n} clients (500), each with one {@code echo} in flight (a closed loop: the next one
 * leaves when the acknowledgement arrives). Unmeasured first ({@link #warmUp}): at least {@code --warmup} seconds, and
 * until {@code --measure-after} (27) s after the clients connected, so the servers' first ping round is behind, and on
 * a JVM server until its JIT compiler has settled. Then {@code --windows} windows of {@code --seconds} each:
 * round trips/s is the median window, latency covers all windows. Then a paced step ({@code half_…} figures) unless
 * {@code --paced-rate 0}: the clients stop answering acks with the next echo, and every generator loop sends its
 * share of {@code --paced-rate} echoes per second (default: half the median window's rate), spread over its clients,
 * once per millisecond, however many are in flight (an open loop: a slow answer does not slow the offer, so its
 * latency counts fully), unmeasured until {@code --paced-after} (52) s after the clients connected (at least 1 s),
 * then {@code --paced-seconds} (10) measured; then drains. Its latency is from each echo's send to its ack.
 *
 * <p>Why those times: every server pings each client every 25 s from its handshake, the clients connect within about
 * a second, so the pings come in rounds at 25, 50, 75 s. The first round runs the servers' ping and pong code for the
 * first time at scale: a Java server compiles it then (≈ 175 compilations on AgentWire's one core within a second),
 * and every echo in flight waits (p99 20–75 ms for AgentWire and netty-socketio, 2 ms for the Node servers). The
 * windows (15 s) sit between the first and second rounds, the paced step (10 s) between the second and third.
 */
final class EchoLoad {
    private final LoadGen gen;
    /** Per loop: round trips, and their latency while measuring. */
    private final Tallies tallies;
    private volatile boolean measuring;
    /** The closed loop: an ack sends the client's next echo (off in the paced step). */
    private volatile boolean closed = true;

    EchoLoad(LoadGen gen) {
        this.gen = gen;
        this.tallies = new Tallies(gen.loader);
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 500);
        Conn.Listener listener = new Conn.Listener() {
            @Override public void ack(Conn c, long sent, long now) {
                tallies.of(c).add(now, measuring ? Math.max(0, now - gen.origin - sent) : -1);
                if (closed) c.echo(gen.now());
            }
        };
        List<Conn> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        int ready = gen.loader.connectAll(clients, 200, 60_000_000_000L);
        long connected = System.nanoTime();
        gen.result("clients", ready);
        gen.loader.onEveryLoop(i -> {
            readyOn(clients, i).forEach(c -> c.echo(gen.now()));
            return null;
        });
        warmUp(connected);
        measuring = true;
        int windows = gen.intOption("windows", 3);
        long windowMillis = gen.intOption("seconds", 3) * 1000L;
        double[] rates = new double[windows];
        long countAtStart = tallies.count();
        long[] cpu0 = gen.cpu();
        long start = System.nanoTime();
        for (int w = 0; w < windows; w++) {
            long c0 = tallies.count();
            long t0 = System.nanoTime();
            LoadGen.sleepMillis(windowMillis);
            long c1 = tallies.count();
            rates[w] = (c1 - c0) / ((System.nanoTime() - t0) / 1e9);
            gen.result("window_" + (w + 1) + "_round_trips_per_s", rates[w]);
        }
        long wall = System.nanoTime() - start;
        long total = tallies.count();
        gen.cpuShare("measured", cpu0, gen.cpu(), wall, total - countAtStart, "round_trips");
        measuring = false;
        Histogram h = tallies.snapshot().latency();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        gen.result("round_trips_per_s", sorted[windows / 2]);
        gen.result("round_trips_per_s_min", sorted[0]);
        gen.result("round_trips_per_s_max", sorted[windows - 1]);
        gen.latency("latency", h);
        double pacedRate = Double.parseDouble(gen.option("paced-rate", String.valueOf(sorted[windows / 2] / 2)));
        // the paced step measures after the clients' second ping round: unmeasured until --paced-after (52) s after
        // the connects, at least 1 s
        long warm = Math.max(1000, gen.intOption("paced-after", 52) * 1000L - millisSince(connected));
        if (pacedRate > 0) paced(clients, pacedRate, warm, gen.intOption("paced-seconds", 10) * 1000L);
        clients.forEach(Conn::drop);
    }

    /**
     * The closed loop unmeasured: at least {@code --warmup} (3) s, until {@code --measure-after} (27) s after
     * {@code connected} (past the first ping round), then a round of 2 s and, where the server's JIT compiler
     * threads can be read (a JVM server), more until a round's compilation share is under
     * {@value LoadGen#JIT_SETTLED}, no round ending after {@code --warmup-max-seconds} (33) s from {@code connected}
     * (the windows then end before the second round). With 3 s, AgentWire's and netty-socketio's compilers still
     * took 0.04–0.14 of their CPU in the windows and their rates climbed from window to window (netty-socketio
     * 72 k → 125 k round trips/s within one run).
     */
    private void warmUp(long connected) throws InterruptedException {
        LoadGen.sleepMillis(gen.intOption("warmup", 3) * 1000L);
        LoadGen.sleepMillis(Math.max(0, gen.intOption("measure-after", 27) * 1000L - millisSince(connected)));
        long most = gen.intOption("warmup-max-seconds", 33) * 1_000_000_000L;
        double jit;
        do {
            long[] cpu0 = gen.cpu();
            LoadGen.sleepMillis(2000);
            jit = LoadGen.jitShare(cpu0, gen.cpu());
        } while (!Double.isNaN(jit) && jit >= LoadGen.JIT_SETTLED
                && System.nanoTime() - connected + 2_000_000_000L <= most);
        gen.result("warmup_seconds", (System.nanoTime() - connected) / 1e9);
        if (!Double.isNaN(jit)) gen.result("warmup_last_server_jit_share", jit);
    }

    /** Milliseconds since {@code nanos} ({@link System#nanoTime()}), e.g. since the clients connected. */
    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The open-loop step at {@code rate} echoes/s for {@code millis}: the {@code half_…} figures. */
    private void paced(List<Conn> clients, double rate, long warmMillis, long millis) throws InterruptedException {
        closed = false;
        LoadGen.sleepMillis(500); // the closed loop's echoes in flight come back
        int loops = gen.loader.loops();
        List<List<Conn>> byLoop = new ArrayList<>();
        for (int i = 0; i < loops; i++) byLoop.add(readyOn(clients, i));
        int total = byLoop.stream().mapToInt(List::size).sum();
        tallies.reset(); // the closed loop's count; its latency was read already
        long start = System.nanoTime();
        long[] due = new long[loops]; // per loop, touched on that loop only: echoes due so far, and sent
        long[] sent = new long[loops];
        List<ScheduledFuture<?>> tickers = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            int loop = i;
            List<Conn> mine = byLoop.get(i);
            if (mine.isEmpty()) continue;
            double perNano = rate * mine.size() / total / 1e9;
            tickers.add(gen.loader.loop(i).scheduleAtFixedRate(() -> {
                long dueNow = (long) ((System.nanoTime() - start) * perNano); // from the start: a late tick does not lose its echoes
                for (; due[loop] < dueNow; due[loop]++) {
                    Conn c = mine.get((int) (due[loop] % mine.size()));
                    if (c.ready()) {
                        c.echo(gen.now());
                        sent[loop]++;
                    }
                }
            }, 0, 1, TimeUnit.MILLISECONDS));
        }
        // unmeasured first: the generator's JIT compiles the paced path (a compile on its core stalls its loop, which
        // would be measured as the server's latency), and the servers' first ping round passes
        LoadGen.sleepMillis(warmMillis);
        long[] cpu0 = gen.cpu();
        long answered0 = tallies.count();
        long sent0 = sum(sent);
        long t0 = System.nanoTime();
        measuring = true;
        LoadGen.sleepMillis(millis);
        tickers.forEach(t -> t.cancel(false));
        long sentAll = sum(sent);
        long sending = System.nanoTime() - t0;
        long drainDeadline = System.nanoTime() + 5_000_000_000L;
        while (tallies.count() < sentAll && System.nanoTime() < drainDeadline) LoadGen.sleepMillis(20);
        Tallies.Snapshot s = tallies.snapshot();
        long answered = s.count() - answered0;
        gen.cpuShare("half", cpu0, gen.cpu(), System.nanoTime() - t0, answered, "round_trips"); // with the drain: every answer's cost
        measuring = false;
        gen.result("half_target_round_trips_per_s", rate);
        gen.result("half_offered_round_trips_per_s", (sentAll - sent0) / (sending / 1e9));
        gen.result("half_round_trips_per_s", s.last() > t0 ? answered / ((s.last() - t0) / 1e9) : 0.0);
        gen.result("half_unanswered", sentAll - s.count());
        gen.latency("half_latency", s.latency());
    }

    /** The clients of generator loop {@code loop} that are ready. */
    private List<Conn> readyOn(List<Conn> clients, int loop) {
        return clients.stream().filter(c -> gen.loader.loopOf(c) == loop && c.ready()).toList();
    }

    /** The sum of a per-loop counter, each read on its loop. */
    private long sum(long[] perLoop) {
        return gen.loader.onEveryLoop(i -> perLoop[i]).stream().mapToLong(Long::longValue).sum();
    }
}
