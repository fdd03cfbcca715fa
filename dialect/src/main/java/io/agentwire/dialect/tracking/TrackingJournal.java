package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tracker needs to come back after a restart, event-sourced on the durable core stream {@value #STREAM}
 * (the provider declares {@value #PREFIX} durable: SQLite on one node, Redis in cluster mode): every backend report
 * as it was accepted ({@code {"kind":"status"|"collaboration"|"logs","report":{…}}}), and a marker
 * ({@code {"kind":"envelope","session_id"}}) when an envelope session starts being tracked — its events are in its
 * own durable {@code session:} stream already, so they are read back from there, not copied.
 *
 * <p>At start, {@link #read()} folds back what is still within the tracker's bounds: the journal's last
 * {@value #TAIL} records; reports of the last {@code max(session-retention, 1 h)}; of the envelope sessions marked
 * there, the {@code max-sessions} most recent whose last event is that recent, each from its last
 * {@code max(2 × log-lines, 1000)} events. The tracker applies them in time order, then forgets what its retention
 * says is gone. Without a durable journal (an event log that does not keep {@value #PREFIX}), nothing is kept and
 * a restart starts empty.
 */
final class TrackingJournal {
    private static final Logger log = LoggerFactory.getLogger(TrackingJournal.class);
    static final String PREFIX = "tracking:";
    static final String STREAM = PREFIX + "journal";
    static final int TAIL = 20_000;
    private static final int PAGE = 1_000;
    private static final long READ_TIMEOUT_SECONDS = 30;

    /** One thing to apply to the board again, at the time it first happened. */
    record Item(long timeMillis, Consumer<Board> apply) { }

    private final Node node;
    private final TrackingConfig config;
    private final LongSupplier clock;

    TrackingJournal(Node node, TrackingConfig config, LongSupplier clock) {
        this.node = node;
        this.config = config;
        this.clock = clock;
    }

    boolean durable() {
        return node.isDurable(STREAM);
    }

    /** Marks an envelope session as tracked. */
    void tracked(String sessionId) {
        append(TrackingJson.NODES.objectNode().put("kind", "envelope").put("session_id", sessionId));
    }

    /** Keeps a backend's report: {@code kind} {@code status}, {@code collaboration} or {@code logs}. */
    void report(String kind, ObjectNode report) {
        ObjectNode record = TrackingJson.NODES.objectNode().put("kind", kind);
        record.set("report", report);
        append(record);
    }

    private void append(ObjectNode record) {
        if (!durable()) return;
        node.publish(STREAM, record).whenComplete((p, e) -> {
            if (e != null) log.warn("tracking journal: could not keep {} ({})", record.path("kind").asText(), e.toString());
        });
    }

    /**
     * Reads back what is to be applied again, oldest first. Blocking (start-up); never throws: what can not be read
     * is logged and left out.
     */
    List<Item> read() {
        if (!durable()) return List.of();
        long cutoff = clock.getAsLong() - Math.max(config.sessionRetention().toMillis(), SessionBook.STALE_AFTER.toMillis());
        List<Item> items = new ArrayList<>();
        Map<String, Long> envelope = new LinkedHashMap<>();
        try {
            for (Publication p : tail(STREAM, TAIL)) {
                JsonNode r = p.data();
                String kind = r.path("kind").asText("");
                if (kind.equals("envelope")) {
                    String sid = r.path("session_id").textValue();
                    if (sid != null) {
                        envelope.remove(sid);
                        envelope.put(sid, p.timeMillis());
                    }
                } else if (p.timeMillis() >= cutoff) {
                    Consumer<Board> apply = report(kind, r.path("report"));
                    if (apply != null) items.add(new Item(p.timeMillis(), apply));
                }
            }
        } catch (Exception e) {
            log.warn("tracking journal: could not read {} ({}); backends' reports from before the restart are not shown",
                    STREAM, e.toString());
        }
        List<String> sessions = new ArrayList<>(envelope.keySet());
        int from = Math.max(0, sessions.size() - config.maxSessions());
        int events = 0;
        for (String sid : sessions.subList(from, sessions.size())) {
            try {
                List<Publication> history = tail("session:" + sid, Math.max(2 * config.logLinesPerSession(), 1000));
                if (history.isEmpty() || time(history.getLast()) < cutoff) continue;
                for (Publication p : history) items.add(new Item(time(p), b -> b.onSessionEvent(p)));
                events += history.size();
            } catch (Exception e) {
                log.warn("tracking journal: could not read the history of session {} ({})", sid, e.toString());
            }
        }
        items.sort(Comparator.comparingLong(Item::timeMillis)); // stable: each stream keeps its order
        log.info("tracking: {} reports and {} session events of {} sessions to apply again", items.size() - events,
                events, sessions.size() - from);
        return items;
    }

    private static Consumer<Board> report(String kind, JsonNode body) {
        try {
            return switch (kind) {
                case "status" -> {
                    AgentStatusReport r = AgentStatusReport.fromJson(body);
                    yield b -> b.onStatus(r);
                }
                case "collaboration" -> {
                    CollaborationReport r = CollaborationReport.fromJson(body);
                    yield b -> b.onCollaboration(r);
                }
                case "logs" -> {
                    LogReport r = LogReport.fromJson(body);
                    yield b -> b.onLogs(r);
                }
                default -> null;
            };
        } catch (RuntimeException e) {
            log.warn("tracking journal: a {} record can not be read back ({}); skipped", kind, e.getMessage());
            return null;
        }
    }

    /** The last {@code n} publications of a durable stream, oldest first. */
    private List<Publication> tail(String stream, int n) throws Exception {
        long top = node.top(stream).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).offset();
        long after = Math.max(0, top - n);
        List<Publication> out = new ArrayList<>();
        while (after < top) {
            List<Publication> page = node.durableHistory(stream, after, PAGE).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (page.isEmpty()) break;
            out.addAll(page);
            after = page.getLast().offset();
        }
        return out;
    }

    /** When a session event happened: its own {@code timestamp}, else when it was stored. */
    private static long time(Publication p) {
        String ts = p.data().path("timestamp").textValue();
        if (ts != null) {
            try {
                return Instant.parse(ts).toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // fall through
            }
        }
        return p.timeMillis();
    }
}
