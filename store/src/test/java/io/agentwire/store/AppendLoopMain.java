package io.agentwire.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link CrashDurabilityTest}: appends to one stream forever, up to 32 in flight, and prints
 * {@code ACK <offset>} on stdout as each append is acknowledged, until it is killed.
 */
public final class AppendLoopMain {
    static final String STREAM = "session:crash";

    private AppendLoopMain() { }

    public static void main(String[] args) throws Exception {
        SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(Path.of(args[0])));
        Semaphore inFlight = new Semaphore(32);
        for (long i = 0; ; i++) {
            inFlight.acquire();
            store.eventLog().append(STREAM, JsonNodeFactory.instance.objectNode().put("i", i))
                    .whenComplete((p, e) -> {
                        synchronized (System.out) {
                            System.out.println(e == null ? "ACK " + p.offset() : "ERR " + e);
                            System.out.flush();
                        }
                        inFlight.release();
                    });
        }
    }
}
