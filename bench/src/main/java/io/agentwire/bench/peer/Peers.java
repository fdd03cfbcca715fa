package io.agentwire.bench.peer;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** What the Java peer mains share: the ready line the run script waits for, and the self-imposed time limit. */
final class Peers {
    private Peers() { }

    static void ready(String what, int port) {
        System.out.println("READY " + what + " on 127.0.0.1:" + port + " pid " + ProcessHandle.current().pid()
                + " (" + Runtime.getRuntime().availableProcessors() + " cpus, max heap "
                + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / (1 << 20) + " MiB)");
    }

    /** Sleeps {@code args[1]} seconds (default 600), runs {@code close} and exits. */
    static void stopAfter(String[] args, Runnable close) throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 600));
        try {
            close.run();
        } finally {
            System.exit(0);
        }
    }
}
