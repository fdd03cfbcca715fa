package io.agentwire.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.DisconnectReason;
import io.agentwire.dialect.spi.ConsoleView.Query;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's live feed, one WebSocket per open page: the page says which view it shows
 * ({@code {"view":"connections","q":"alice","offset":0,"limit":50}}, or {@code {"view":"run","run":"run_…"}}) and the
 * server pushes that view once a second when it changed, and a shown run's events the moment they are published
 * ({@code {"type":"run.event","run":…,"n":…,"event":…}}). Views are built on the console's one thread, never an
 * event loop. At most {@value #MAX_VIEWERS} pages at once (more: closed with 1008).
 */
final class ConsoleLive implements WsHandler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleLive.class);
    static final int MAX_VIEWERS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VIEWS = Set.of("overview", "connections", "sessions", "runs", "run", "agents", "rooms", "cluster");

    /** One open console page and what it looks at. */
    private static final class Viewer {
        final WsConnection ws;
        volatile String view = "overview";
        volatile Query query = new Query("", 0, 50);
        volatile String runId;
        String lastSent; // console thread only

        Viewer(WsConnection ws) {
            this.ws = ws;
        }
    }

    private final ConsoleViews views;
    private final Clock clock;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("aw-console").daemon().factory());
    private final AutoCloseable listening;

    ConsoleLive(ConsoleViews views, RunTracker runs, Clock clock) {
        this.views = views;
        this.clock = clock;
        this.listening = runs.listen(this::runEvent);
        thread.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            views.sample(clock.instant().getEpochSecond());
            viewers.values().forEach(this::push);
        } catch (RuntimeException e) {
            log.warn("console: a view could not be built", e);
        }
    }

    /** Builds the viewer's view and sends it if it changed. Console thread. */
    private void push(Viewer v) {
        Query q = v.query;
        Map<String, Object> view = switch (v.view) {
            case "connections" -> views.connections(q);
            case "sessions" -> views.sessions(q);
            case "runs" -> views.runs(q);
            case "run" -> views.run(v.runId);
            case "agents" -> views.agents(q);
            case "rooms" -> views.rooms(q);
            case "cluster" -> views.cluster();
            default -> views.overview();
        };
        String text = write(view);
        if (text.equals(v.lastSent)) return;
        v.lastSent = text;
        v.ws.send(text);
    }

    private void runEvent(String runId, int n, JsonNode event) {
        String text = null;
        for (Viewer v : viewers.values()) {
            if (!"run".equals(v.view) || !runId.equals(v.runId)) continue;
            if (text == null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "run.event");
                m.put("run", runId);
                m.put("n", n);
                m.put("event", event);
                text = write(m);
            }
            v.ws.send(text);
        }
    }

    @Override
    public void onOpen(WsConnection ws) {
        if (viewers.size() >= MAX_VIEWERS) {
            log.warn("console: more than {} console pages open; closing the newest", MAX_VIEWERS);
            ws.close(DisconnectReason.POLICY_VIOLATION);
            return;
        }
        Viewer v = new Viewer(ws);
        viewers.put(ws.id(), v);
        later(() -> push(v));
    }

    /** {@code {"view": …, "q": …, "offset": …, "limit": …, "run": …}}; anything else closes the feed (1008). */
    @Override
    public void onText(WsConnection ws, String text) {
        Viewer v = viewers.get(ws.id());
        if (v == null) return;
        try {
            JsonNode m = JSON.readTree(text);
            String view = m.path("view").asText("");
            if (!VIEWS.contains(view)) throw new IllegalArgumentException("unknown view " + view);
            String search = m.path("q").asText("");
            if (search.length() > 200) throw new IllegalArgumentException("search too long");
            v.query = new Query(search, m.path("offset").asInt(0), m.path("limit").asInt(50));
            v.runId = view.equals("run") ? m.path("run").asText("") : null;
            v.view = view;
            later(() -> {
                v.lastSent = null;
                push(v);
            });
        } catch (JsonProcessingException | IllegalArgumentException e) {
            ws.close(DisconnectReason.POLICY_VIOLATION);
        }
    }

    /** Runs {@code task} on the console thread; nothing once the console is closed. */
    private void later(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("console closed: view not sent");
        }
    }

    @Override
    public void onClose(WsConnection ws, int code, String reason) {
        viewers.remove(ws.id());
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a console view is not JSON", e);
        }
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (Exception e) {
            log.debug("console: stop listening", e);
        }
        thread.shutdownNow();
        viewers.values().forEach(v -> v.ws.close(DisconnectReason.SHUTDOWN));
    }
}
