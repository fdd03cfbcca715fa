package io.agentwire.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * (a) idle: {@code --n} clients connect (Socket.IO: and join the room on connect; envelope: and create a session)
 * and stay silent. Measured: the server's RSS (/proc/PID/status VmRSS) and heap after a full GC ({@code --heap-cmd})
 * before any client, and {@code --settle} (3) seconds after all connected (envelope: after every session was
 * created), per connection; and the same sample taken when the first half of the clients was connected, so that
 * the marginal cost of the second half, (all − half) / (its clients), leaves out what the first clients paid once
 * (young generation pages touched by handshake garbage, JIT and metaspace growth, pools).
 */
final class Idle {
    private final LoadGen gen;

    Idle(LoadGen gen) {
        this.gen = gen;
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 1000);
        int inFlight = gen.intOption("in-flight", 500);
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
        long deadline = System.nanoTime() + 180_000_000_000L;
        List<Conn> first = clients.subList(0, n / 2);
        long t0 = System.nanoTime();
        int ready = gen.loader.connectAll(first, inFlight, deadline - System.nanoTime());
        long firstNanos = System.nanoTime() - t0;
        settle(first, deadline);
        int half = gen.loader.ready(first);
        long heapHalf = Probe.heap(heapCmd);
        long rssHalf = Probe.rss(gen.serverPid);
        long t1 = System.nanoTime();
        ready += gen.loader.connectAll(clients.subList(n / 2, n), inFlight, deadline - System.nanoTime());
        double seconds = (firstNanos + System.nanoTime() - t1) / 1e9;
        settle(clients, deadline);
        int still = gen.loader.ready(clients);
        long heap1 = Probe.heap(heapCmd);
        long rss1 = Probe.rss(gen.serverPid);
        gen.result("connections", still);
        gen.result("connect_seconds", seconds);
        gen.result("failed", n - ready);
        if (gen.proto == Proto.ENV) gen.result("sessions", gen.loader.sum(clients, c -> c.sessionId != null ? 1 : 0));
        gen.result("rss_before_mib", rss0 / 1048576.0);
        gen.result("rss_after_mib", rss1 / 1048576.0);
        if (still > 0 && rss0 > 0) gen.result("rss_per_conn_kib", (rss1 - rss0) / 1024.0 / still);
        if (still > 0 && heap0 > 0 && heap1 > 0) {
            gen.result("heap_before_mib", heap0 / 1048576.0);
            gen.result("heap_after_mib", heap1 / 1048576.0);
            gen.result("heap_per_conn_kib", (heap1 - heap0) / 1024.0 / still);
        }
        gen.result("half_connections", half);
        int added = still - half;
        if (added > 0 && rssHalf > 0 && rss1 > 0) {
            gen.result("rss_half_mib", rssHalf / 1048576.0);
            gen.result("rss_marginal_per_conn_kib", (rss1 - rssHalf) / 1024.0 / added);
        }
        if (added > 0 && heapHalf > 0 && heap1 > 0) {
            gen.result("heap_half_mib", heapHalf / 1048576.0);
            gen.result("heap_marginal_per_conn_kib", (heap1 - heapHalf) / 1024.0 / added);
        }
        clients.forEach(Conn::drop);
    }

    /** Envelope: until every ready client has its session (or the deadline); then {@code --settle} seconds. */
    private void settle(List<Conn> clients, long deadline) throws InterruptedException {
        while (gen.proto == Proto.ENV && System.nanoTime() < deadline
                && gen.loader.sum(clients, c -> c.ready() && c.sessionId == null ? 1 : 0) > 0) {
            LoadGen.sleepMillis(100);
        }
        LoadGen.sleepMillis(gen.intOption("settle", 3) * 1000L);
    }
}
