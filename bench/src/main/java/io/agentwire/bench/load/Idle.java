package io.agentwire.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * (a) idle: {@code --n} clients connect (Socket.IO: and join the room on connect; envelope: and create a session)
 * and stay silent; the server's RSS (/proc/PID/status VmRSS) and heap after a full GC ({@code --heap-cmd}) before
 * and {@code --settle} (3) seconds after, per connection.
 */
final class Idle {
    private final LoadGen gen;

    Idle(LoadGen gen) {
        this.gen = gen;
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 1000);
        String heapCmd = gen.option("heap-cmd", "");
        long heap0 = Probe.heap(heapCmd);
        long rss0 = Probe.rss(gen.serverPid);
        List<Conn> clients = new ArrayList<>(n);
        Conn.Listener listener = new Conn.Listener() {
            @Override public void ready(Conn c, long nanos) {
                if (gen.proto == Proto.ENV && c.sessionId == null) c.send("{\"event\":\"user.create_session\"}");
            }
        };
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        long t0 = System.nanoTime();
        int ready = gen.loader.connectAll(clients, gen.intOption("in-flight", 500), 180_000_000_000L);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LoadGen.sleepMillis(gen.intOption("settle", 3) * 1000L);
        int still = gen.loader.onLoop(() -> (int) clients.stream().filter(Conn::ready).count());
        long heap1 = Probe.heap(heapCmd);
        long rss1 = Probe.rss(gen.serverPid);
        gen.result("connections", still);
        gen.result("connect_seconds", seconds);
        gen.result("failed", n - ready);
        gen.result("rss_before_mib", rss0 / 1048576.0);
        gen.result("rss_after_mib", rss1 / 1048576.0);
        if (still > 0 && rss0 > 0) gen.result("rss_per_conn_kib", (rss1 - rss0) / 1024.0 / still);
        if (still > 0 && heap0 > 0 && heap1 > 0) {
            gen.result("heap_before_mib", heap0 / 1048576.0);
            gen.result("heap_after_mib", heap1 / 1048576.0);
            gen.result("heap_per_conn_kib", (heap1 - heap0) / 1024.0 / still);
        }
        clients.forEach(Conn::drop);
    }
}
