package io.agentwire.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * (c) echo with ack: {@code --n} clients (500), each with one {@code echo} in flight (a closed loop: the next one
 * leaves when the acknowledgement arrives). {@code --warmup} seconds unmeasured, then {@code --windows} windows of
 * {@code --seconds} each: round trips/s is the median window, latency covers all windows.
 */
final class EchoLoad {
    private final LoadGen gen;
    /** Per loop: round trips, and their latency while measuring. */
    private final Tallies tallies;
    private volatile boolean measuring;

    EchoLoad(LoadGen gen) {
        this.gen = gen;
        this.tallies = new Tallies(gen.loader);
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 500);
        Conn.Listener listener = new Conn.Listener() {
            @Override public void ack(Conn c, long sent, long now) {
                tallies.of(c).add(now, measuring ? Math.max(0, now - gen.origin - sent) : -1);
                c.echo(gen.now());
            }
        };
        List<Conn> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        int ready = gen.loader.connectAll(clients, 200, 60_000_000_000L);
        gen.result("clients", ready);
        gen.loader.onEveryLoop(i -> {
            clients.stream().filter(c -> gen.loader.loopOf(c) == i && c.ready()).forEach(c -> c.echo(gen.now()));
            return null;
        });
        LoadGen.sleepMillis(gen.intOption("warmup", 3) * 1000L);
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
        clients.forEach(Conn::drop);
    }
}
