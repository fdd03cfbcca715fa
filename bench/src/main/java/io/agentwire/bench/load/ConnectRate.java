package io.agentwire.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * (e) connect rate: new clients as fast as the server answers, with {@code --in-flight} handshakes pending (enough to
 * keep it saturated), for {@code --seconds} or until {@code --n} connected, after a warm-up of rounds of
 * {@code --warmup-n} clients connected and left unmeasured ({@link #warmUp}). A client counts once it is ready to talk:
 * WebSocket upgraded ({@code ws}), Socket.IO CONNECT answered ({@code sio}), {@code system.connected} ({@code env}).
 */
final class ConnectRate {
    private final LoadGen gen;
    /** Per loop: clients ready, the latest, and their connect latency. */
    private final Tallies tallies;

    ConnectRate(LoadGen gen) {
        this.gen = gen;
        this.tallies = new Tallies(gen.loader);
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 15_000);
        long seconds = gen.intOption("seconds", 5);
        Conn.Listener listener = new Conn.Listener() {
            @Override public void ready(Conn c, long nanos) {
                tallies.of(c).add(System.nanoTime(), nanos);
            }
        };
        warmUp(n);
        List<Conn> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        long[] cpu0 = gen.cpu();
        long t0 = System.nanoTime();
        int ready = gen.loader.connectAll(clients, gen.intOption("in-flight", 200), seconds * 1_000_000_000L);
        long[] cpu1 = gen.cpu();
        long wall = System.nanoTime() - t0;
        Tallies.Snapshot snap = tallies.snapshot();
        double span = (snap.last() - t0) / 1e9;
        gen.result("connected", snap.count());
        gen.result("attempted", clients.stream().filter(c -> c.connectStarted != 0).count());
        gen.result("seconds", span);
        gen.result("connects_per_s", snap.count() / span);
        gen.cpuShare("measured", cpu0, cpu1, wall, snap.count(), "connects");
        gen.latency("connect_latency", snap.latency());
        gen.result("ready_at_end", ready);
        clients.forEach(Conn::drop);
    }

    /**
     * Unmeasured warm-up: rounds of {@code --warmup-n} clients connected (all held) and left, for at least
     * {@code --warmup-seconds} (at least one round) and, where the server's JIT compiler threads can be read (a JVM
     * server), until a round's compilation share is under {@value LoadGen#JIT_SETTLED}, at most
     * {@code --warmup-max-seconds} (3 × the first). On one core a JVM server's C1/C2 compile the handshake's code for
     * 10–20 s of saturated handshakes (25 000–60 000): with one round of 5 000 the measured step paid 0.3–0.4 of the
     * server's CPU to its JIT. The last round's figures ({@code warmup_last_*}) show where the warm-up ended.
     */
    private void warmUp(int n) throws InterruptedException {
        int warm = gen.intOption("warmup-n", 1000);
        long start = System.nanoTime();
        int leastSeconds = gen.intOption("warmup-seconds", 0);
        long least = leastSeconds * 1_000_000_000L;
        long most = gen.intOption("warmup-max-seconds", 3 * leastSeconds) * 1_000_000_000L;
        int rounds = 0;
        long connected = 0;
        boolean done;
        do {
            List<Conn> warmup = new ArrayList<>(warm);
            // every round its own indexes, so its own source addresses (Loader.PER_SOURCE clients each): the previous
            // rounds' closed clients wait in TIME_WAIT on theirs, and binding beside them made the kernel search its
            // whole port range for every connect (a 5 000-client round then took the generator 18 s at 0.99 of a core)
            int first = n + rounds * warm;
            for (int i = 0; i < warm; i++) warmup.add(new Conn(first + i, gen.proto, new Conn.Listener() { }));
            long[] cpu0 = gen.cpu();
            long t0 = System.nanoTime();
            int ready = gen.loader.connectAll(warmup, gen.intOption("in-flight", 200), 30_000_000_000L);
            long[] cpu1 = gen.cpu();
            long wall = System.nanoTime() - t0;
            // with a goodbye: dropped, they would stay in the Socket.IO servers' recovery state for 2 minutes, and the
            // measured step would meet a server holding tens of thousands of them that the warm-up left behind
            gen.loader.onEveryLoop(loop -> {
                warmup.stream().filter(c -> gen.loader.loopOf(c) == loop).forEach(Conn::leave);
                return null;
            });
            rounds++;
            connected += ready;
            long server = cpu1[LoadGen.SERVER] - cpu0[LoadGen.SERVER];
            double jit = LoadGen.jitShare(cpu0, cpu1);
            System.err.printf(
                    "warm-up round %d: %d ready in %.1f s, server %.2f cores (JIT %.2f of it), generator %.2f%n",
                    rounds, ready, wall / 1e9, server / (double) wall, jit,
                    (cpu1[LoadGen.GENERATOR] - cpu0[LoadGen.GENERATOR]) / (double) wall);
            LoadGen.sleepMillis(1000); // the server closes the ones that left
            long elapsed = System.nanoTime() - start;
            done = elapsed >= most || elapsed >= least && (Double.isNaN(jit) || jit < LoadGen.JIT_SETTLED);
            if (done) {
                gen.result("warmup_rounds", rounds);
                gen.result("warmup_connected", connected);
                gen.result("warmup_seconds", elapsed / 1e9);
                gen.cpuShare("warmup_last", cpu0, cpu1, wall, ready, "connects");
            }
        } while (!done);
    }
}
