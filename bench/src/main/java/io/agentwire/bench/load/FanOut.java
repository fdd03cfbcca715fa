package io.agentwire.bench.load;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * (b) fan-out: {@code --n} clients (10 000) in the room; the first one publishes, every member (the publisher
 * included) receives each message. Steps: a warm-up at the first rate, then saturation for {@code --seconds}: at
 * most {@code --window} (16) messages not yet received by every member, the next one published when one completes;
 * then each of {@code --rates} messages/s (ascending) for {@code --seconds}. Each step drains (up to {@code --drain}
 * seconds, 10) before the next. Per step: deliveries/s (every delivery of the step's messages over the time from
 * its first publish to its last delivery), latency from publish to each delivery, and deliveries missing after the
 * drain.
 */
final class FanOut {
    private static final String PAD = "x".repeat(100);

    private final LoadGen gen;
    private int[] counts = new int[1 << 20];
    private long nextSeq = 1;
    private long stepFirst;
    private long delivered;
    private long completed;
    private long lastDelivery;
    private int members;
    private int window; // > 0: saturation mode
    private Conn publisher;
    private final Histogram latency = LoadGen.histogram();

    FanOut(LoadGen gen) {
        this.gen = gen;
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 10_000);
        int seconds = gen.intOption("seconds", 5);
        Conn.Listener listener = new Conn.Listener() {
            @Override public void message(Conn c, long seq, long sent, long now) {
                if (seq >= counts.length || seq < stepFirst) return;
                delivered++;
                lastDelivery = now;
                latency.recordValue(Math.max(0, now - gen.origin - sent));
                if (++counts[(int) seq] == members) {
                    completed++;
                    if (window > 0) publish();
                }
            }
        };
        List<Conn> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        int ready = gen.loader.connectAll(clients, 500, 120_000_000_000L);
        members = ready;
        publisher = clients.stream().filter(Conn::ready).findFirst().orElseThrow();
        gen.result("members", ready);
        LoadGen.sleepMillis(1000); // joins settle
        String[] rates = gen.option("rates", "10,30").split(",");
        step("warmup", Integer.parseInt(rates[0].trim()), 0, gen.intOption("warmup", 3), false);
        // saturation before the fixed rates: a rate above a server's capacity leaves a backlog behind it
        step("saturation", 0, gen.intOption("window", 16), seconds, true);
        for (String r : rates) {
            int rate = Integer.parseInt(r.trim());
            step("rate_" + rate, rate, 0, seconds, true);
        }
        long gaps = gen.loader.onLoop(() -> clients.stream().mapToLong(c -> c.gaps).sum());
        long dups = gen.loader.onLoop(() -> clients.stream().mapToLong(c -> c.duplicates).sum());
        gen.result("order_gaps", gaps);
        gen.result("order_duplicates", dups);
        clients.forEach(Conn::drop);
    }

    private void publish() {
        publisher.send(Wire.publish(gen.proto, nextSeq++, gen.now(), PAD));
    }

    /** One step: a fixed rate ({@code rate > 0}) or a window of messages in flight, then a drain of up to {@code --drain} (10) s. */
    private void step(String name, int rate, int inFlight, int seconds, boolean report) throws InterruptedException {
        long first = gen.loader.onLoop(() -> {
            stepFirst = nextSeq;
            delivered = 0;
            completed = 0;
            latency.reset();
            return nextSeq;
        });
        long[] cpu0 = gen.cpu();
        long t0 = System.nanoTime();
        ScheduledFuture<?> ticker = null;
        if (rate > 0) {
            ticker = gen.loader.loop().scheduleAtFixedRate(this::publish, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        } else {
            gen.loader.onLoop(() -> {
                window = inFlight;
                for (int i = 0; i < inFlight; i++) publish();
                return null;
            });
        }
        LoadGen.sleepMillis(seconds * 1000L);
        if (ticker != null) ticker.cancel(false);
        long last = gen.loader.onLoop(() -> {
            window = 0;
            return nextSeq - 1;
        });
        long published = last - first + 1;
        long drainDeadline = System.nanoTime() + gen.intOption("drain", 10) * 1_000_000_000L;
        while (System.nanoTime() < drainDeadline && gen.loader.onLoop(() -> completed) < published) {
            LoadGen.sleepMillis(50);
        }
        long[] cpu1 = gen.cpu(); // over the step and its drain: every delivery's cost
        long wall = System.nanoTime() - t0;
        if (!report) return;
        long[] snapshot = gen.loader.onLoop(() -> new long[] {delivered, lastDelivery});
        Histogram h = gen.loader.onLoop(latency::copy);
        double span = (snapshot[1] - t0) / 1e9;
        gen.result(name + "_published", published);
        gen.result(name + "_offered_deliveries_per_s", rate > 0 ? (double) rate * members : -1.0);
        gen.result(name + "_deliveries_per_s", snapshot[0] / span);
        gen.result(name + "_missing", published * members - snapshot[0]);
        gen.cpuShare(name, cpu0, cpu1, wall, snapshot[0], "deliveries");
        gen.latency(name + "_latency", h);
    }
}
