package io.agentwire.bench.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * (b) fan-out: {@code --n} clients (10 000) in the room; the first one publishes, every member (the publisher
 * included) receives each message. Steps: a warm-up at the first rate, then saturation for {@code --seconds}: at
 * most {@code --window} (16) messages not yet received by every member, the next one published when one completes;
 * then each of {@code --rates} messages/s (ascending) for {@code --seconds}. Each step drains (up to {@code --drain}
 * seconds, 10) before the next. Per step: deliveries/s (every delivery of the step's messages over the time from
 * its first publish to its last delivery), latency from publish to each delivery, and deliveries missing after the
 * drain.
 *
 * <p>Threads: deliveries arrive on every generator loop; each counts them in its own {@link Tallies.Tally}, and the
 * members that have a message so far are counted in one {@link AtomicIntegerArray} (a message completes on whichever
 * loop delivers it last). Publishing happens on the publisher's loop only ({@link #publish}), so seqs leave in order.
 */
final class FanOut {
    private static final String PAD = "x".repeat(100);

    private final LoadGen gen;
    /** Per seq: the members that received it. */
    private final AtomicIntegerArray counts = new AtomicIntegerArray(1 << 20);
    private final Tallies tallies;
    /** Confined to the publisher's loop. */
    private long nextSeq = 1;
    /** The first seq of the current step (written on the publisher's loop before the step publishes). */
    private volatile long stepFirst;
    private volatile int members;
    private volatile int window; // > 0: saturation mode
    private Conn publisher;
    private EventLoop publisherLoop;

    FanOut(LoadGen gen) {
        this.gen = gen;
        this.tallies = new Tallies(gen.loader);
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 10_000);
        int seconds = gen.intOption("seconds", 5);
        Conn.Listener listener = new Conn.Listener() {
            @Override public void message(Conn c, long seq, long sent, long now) {
                if (seq >= counts.length() || seq < stepFirst) return;
                tallies.of(c).add(now, Math.max(0, now - gen.origin - sent));
                if (counts.incrementAndGet((int) seq) == members && window > 0) publishNext();
            }
        };
        List<Conn> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        int ready = gen.loader.connectAll(clients, 500, 120_000_000_000L);
        members = ready;
        publisher = clients.stream().filter(c -> gen.loader.onLoop(c, c::ready)).findFirst().orElseThrow();
        publisherLoop = gen.loader.loop(publisher);
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
        gen.result("order_gaps", gen.loader.sum(clients, c -> c.gaps));
        gen.result("order_duplicates", gen.loader.sum(clients, c -> c.duplicates));
        clients.forEach(Conn::drop);
    }

    /** Publishes the next seq; on the publisher's loop only. */
    private void publish() {
        publisher.send(Wire.publish(gen.proto, nextSeq++, gen.now(), PAD));
    }

    /** A message completed (on any loop): in saturation mode, the next one leaves, from the publisher's loop. */
    private void publishNext() {
        if (!publisherLoop.inEventLoop()) {
            publisherLoop.execute(this::publishNext);
        } else if (window > 0) { // read again here: the step may have ended since (window is set on this loop)
            publish();
        }
    }

    /** Messages of {@code [first, last]} every member received. */
    private long completed(long first, long last) {
        long done = 0;
        for (long seq = first; seq <= last && seq < counts.length(); seq++) {
            if (counts.get((int) seq) >= members) done++;
        }
        return done;
    }

    /** One step: a fixed rate ({@code rate > 0}) or a window of messages in flight, then a drain of up to {@code --drain} (10) s. */
    private void step(String name, int rate, int inFlight, int seconds, boolean report) throws InterruptedException {
        long first = gen.loader.onLoop(publisher, () -> {
            stepFirst = nextSeq;
            return nextSeq;
        });
        tallies.reset(); // after stepFirst moved: a late delivery of the last step is not counted in this one
        long[] cpu0 = gen.cpu();
        long t0 = System.nanoTime();
        ScheduledFuture<?> ticker = null;
        if (rate > 0) {
            ticker = publisherLoop.scheduleAtFixedRate(this::publish, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        } else {
            gen.loader.onLoop(publisher, () -> {
                window = inFlight;
                for (int i = 0; i < inFlight; i++) publish();
                return null;
            });
        }
        LoadGen.sleepMillis(seconds * 1000L);
        if (ticker != null) ticker.cancel(false);
        long last = gen.loader.onLoop(publisher, () -> {
            window = 0;
            return nextSeq - 1;
        });
        long published = last - first + 1;
        long drainDeadline = System.nanoTime() + gen.intOption("drain", 10) * 1_000_000_000L;
        while (System.nanoTime() < drainDeadline && completed(first, last) < published) {
            LoadGen.sleepMillis(50);
        }
        long[] cpu1 = gen.cpu(); // over the step and its drain: every delivery's cost
        long wall = System.nanoTime() - t0;
        if (!report) return;
        Tallies.Snapshot s = tallies.snapshot();
        double span = (s.last() - t0) / 1e9;
        gen.result(name + "_published", published);
        gen.result(name + "_offered_deliveries_per_s", rate > 0 ? (double) rate * members : -1.0);
        gen.result(name + "_deliveries_per_s", s.count() / span);
        gen.result(name + "_missing", published * members - s.count());
        gen.cpuShare(name, cpu0, cpu1, wall, s.count(), "deliveries");
        gen.latency(name + "_latency", s.latency());
    }
}
