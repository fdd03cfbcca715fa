package io.agentwire.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * (e) connect rate: new clients as fast as the server answers, with {@code --in-flight} handshakes pending (enough to
 * keep it saturated), for {@code --seconds} or until {@code --n} connected, after {@code --warmup-n} clients
 * connected and dropped unmeasured. A client counts once it is ready to talk:
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
        int warm = gen.intOption("warmup-n", 1000); // JIT warm-up: connect and drop a first batch, unmeasured
        List<Conn> warmup = new ArrayList<>(warm);
        for (int i = 0; i < warm; i++) warmup.add(new Conn(n + i, gen.proto, new Conn.Listener() { }));
        gen.loader.connectAll(warmup, gen.intOption("in-flight", 200), 30_000_000_000L);
        warmup.forEach(Conn::drop);
        LoadGen.sleepMillis(1000);
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
}
