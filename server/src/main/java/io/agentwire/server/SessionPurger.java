package io.agentwire.server;

import io.agentwire.core.Sessions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired sessions (and their events) every {@code every}, the first time {@code firstAfter} after start.
 * The purge itself runs at the {@code Blocking} boundary; this thread only schedules it.
 */
final class SessionPurger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionPurger.class);

    private final Sessions sessions;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("aw-session-purge").factory());

    SessionPurger(Sessions sessions, Duration firstAfter, Duration every) {
        this.sessions = sessions;
        timer.scheduleWithFixedDelay(this::purge, firstAfter.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purge() {
        try {
            int n = sessions.purgeExpired().get(10, TimeUnit.MINUTES);
            if (n > 0) log.info("purged {} expired sessions", n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("purging expired sessions failed; will retry at the next run", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
