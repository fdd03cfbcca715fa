package io.agentwire.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Principal;
import io.agentwire.dialect.spi.ApiJson;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import io.agentwire.transport.WebSocketEndpoint;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console (docs/console.md) on the HTTP port, under {@link ConsoleSettings#path()} ({@code /console}):
 *
 * <pre>
 * GET  /console                 the page (the bundled front end, {@link ConsoleAssets}); /console/ redirects to it
 * GET  /console/assets/NAME     its scripts and styles
 * POST /console/login           {"credential": API key or admin JWT} → session cookie + {"loggedIn", "csrf", "principal"}
 * GET  /console/session         {"loggedIn": true, "csrf", "principal"}, or {"loggedIn": false}
 * POST /console/logout          ends the session                                 (CSRF token required)
 * POST /console/disconnect      {"dialect", "id"}: closes a connection            (CSRF token required)
 * POST /console/cancel          {"run"}: cancels a run                            (CSRF token required)
 * WS   /console/live            the live views ({@link ConsoleLive}); cookie and same origin required
 * </pre>
 *
 * Every state-changing request needs the session cookie and the session's CSRF token in {@code X-CSRF-Token}:
 * 401 without a session, 403 without the token; every POST a JSON body type (415 otherwise). The page's replies forbid framing and caching.
 */
public final class WebConsole implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebConsole.class);
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "content-security-policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                    + "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "x-frame-options", "DENY",
            "x-content-type-options", "nosniff",
            "referrer-policy", "no-referrer",
            "cache-control", "no-store");

    private final ConsoleSettings settings;
    private final ConsoleSources sources;
    private final ConsoleAuth auth;
    private final RunTracker runs = new RunTracker();
    private final ConsoleLive live;
    private final AutoCloseable tap;
    private final ConsoleAssets assets;

    /**
     * @param credentials the principal an admin credential (the API key, or a JWT with the admin role) stands for
     */
    public WebConsole(ConsoleSettings settings, ConsoleSources sources, Function<String, Optional<String>> credentials,
                      Clock clock) {
        this.settings = settings;
        this.sources = sources;
        this.auth = new ConsoleAuth(settings, credentials, clock);
        this.assets = ConsoleAssets.load(settings.path());
        this.tap = sources.node().tap("session:", runs);
        this.live = new ConsoleLive(new ConsoleViews(sources, runs, new Series()), runs, clock);
        if (!assets.built()) log.warn("console: the front end was not built into this jar; {} shows a notice", settings.path());
    }

    /** Adds the console's routes to the HTTP port's table. */
    public Routes.Builder routes() {
        String p = settings.path();
        return Routes.builder()
                .get(p, r -> page())
                .get(p + "/", r -> done(new HttpReply(308, "text/plain; charset=utf-8", new byte[0], Map.of("location", p))))
                .prefixRoute("GET", p + "/assets/", r -> done(assets.reply(r.path().substring(p.length() + 8))))
                .post(p + "/login", this::login)
                .get(p + "/session", r -> done(auth.session(r.headers()).map(WebConsole::sessionReply)
                        .orElseGet(() -> HttpReply.json(200, Map.of("loggedIn", false)))))
                .post(p + "/logout", r -> action(r, (s, body) -> {
                    auth.logout(s);
                    return HttpReply.json(200, Map.of("ok", true)).withHeader("set-cookie", auth.clearedCookie());
                }))
                .post(p + "/disconnect", r -> action(r, this::disconnect))
                .post(p + "/cancel", r -> action(r, this::cancel))
                .webSocket(WebSocketEndpoint.at(p + "/live", this::authenticateLive, live).withMaxMessageBytes(4096));
    }

    private CompletableFuture<HttpReply> page() {
        HttpReply reply = assets.page();
        for (var h : PAGE_HEADERS.entrySet()) reply = reply.withHeader(h.getKey(), h.getValue());
        return done(reply);
    }

    /**
     * POSTs must say {@code Content-Type: application/json}: a page of another site cannot send that without a CORS
     * preflight, which this server never grants (defence in depth beside SameSite and the CSRF token).
     */
    private static HttpReply notJson(HttpRequestData r) {
        boolean json = r.header("content-type").map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))
                .orElse(false);
        return json ? null : HttpReply.error(415, ErrorCode.INVALID_FIELD.name(), "send the body as application/json");
    }

    private CompletableFuture<HttpReply> login(HttpRequestData r) {
        HttpReply refused = notJson(r);
        if (refused != null) return done(refused);
        JsonNode body;
        try {
            body = ApiJson.body(r);
        } catch (ApiJson.BadBody e) {
            return done(e.reply);
        }
        ConsoleAuth.Login result = auth.login(body.path("credential").asText(""), r.remoteAddress());
        return done(switch (result) {
            case ConsoleAuth.Opened o -> sessionReply(o.session()).withHeader("set-cookie", auth.cookieFor(o.session()));
            case ConsoleAuth.Refused x -> HttpReply.error(401, ErrorCode.AUTH_FAILED.name(),
                    "not an admin credential: the API key, or a JWT whose roles hold " + settings.adminRole());
            case ConsoleAuth.Limited l -> HttpReply.error(429, ErrorCode.RATE_LIMITED.name(),
                    "too many failed logins from this address; try again later")
                    .withHeader("retry-after", Long.toString(Math.max(1, l.retryAfterMillis() / 1000)));
        });
    }

    private static HttpReply sessionReply(ConsoleAuth.Session s) {
        return HttpReply.json(200, Map.of("loggedIn", true, "csrf", s.csrf(), "principal", s.principal()))
                .withHeader("cache-control", "no-store");
    }

    /** A state-changing request's reply for a logged-in session with its CSRF token and a JSON object body. */
    @FunctionalInterface
    private interface Action {
        HttpReply apply(ConsoleAuth.Session session, JsonNode body);
    }

    private CompletableFuture<HttpReply> action(HttpRequestData r, Action action) {
        HttpReply refused = notJson(r);
        if (refused != null) return done(refused);
        if (auth.session(r.headers()).isEmpty()) {
            return done(HttpReply.error(401, ErrorCode.AUTH_MISSING.name(), "not logged in"));
        }
        Optional<ConsoleAuth.Session> s = auth.sessionWithCsrf(r);
        if (s.isEmpty()) {
            log.warn("console: {} {} refused: no valid CSRF token", r.method(), r.path());
            return done(HttpReply.error(403, ErrorCode.AUTH_FAILED.name(),
                    "the X-CSRF-Token header is missing or wrong"));
        }
        JsonNode body;
        try {
            body = r.body().length == 0 ? JsonNodeFactory.instance.objectNode() : ApiJson.body(r);
        } catch (ApiJson.BadBody e) {
            return done(e.reply);
        }
        return done(action.apply(s.get(), body));
    }

    private HttpReply disconnect(ConsoleAuth.Session s, JsonNode body) {
        String dialect = body.path("dialect").asText("");
        String id = body.path("id").asText("");
        ConsoleView view = sources.dialects().get(dialect);
        if (view == null || id.isEmpty() || !view.disconnect(id)) {
            return HttpReply.error(404, ErrorCode.INVALID_FIELD.name(), "no connection " + id + " in dialect " + dialect);
        }
        log.info("console: {} disconnected {} ({})", s.principal(), id, dialect);
        return HttpReply.json(200, Map.of("ok", true));
    }

    private HttpReply cancel(ConsoleAuth.Session s, JsonNode body) {
        String runId = body.path("run").asText("");
        String session = runs.sessionOf(runId);
        if (session == null) return HttpReply.error(404, ErrorCode.INVALID_FIELD.name(), "no run " + runId);
        var reply = sources.agents().cancel(session, runId);
        log.info("console: {} cancelled run {} of session {} ({} cancelled)", s.principal(), runId, session, reply.count());
        return HttpReply.json(200, Map.of("ok", reply.accepted(), "cancelled", reply.count()));
    }

    /** The live feed: a logged-in session's cookie, and no page of another origin (cross-site WebSocket hijacking). */
    private Authenticator.Result authenticateLive(Authenticator.Request r) {
        Optional<String> origin = r.header("origin");
        Optional<String> host = r.header("host");
        if (origin.isPresent() && (host.isEmpty() || !sameHost(origin.get(), host.get()))) {
            return new Authenticator.Rejected(ErrorCode.AUTH_FAILED, "the console feed is for the console's own page");
        }
        return auth.session(r.headers())
                .<Authenticator.Result>map(s -> new Authenticator.Accepted(new Principal(s.principal(), Set.of("console"),
                        Map.of(), false)))
                .orElseGet(() -> new Authenticator.Rejected(ErrorCode.AUTH_MISSING, "log in to the console first"));
    }

    private static boolean sameHost(String origin, String host) {
        int scheme = origin.indexOf("://");
        return scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    @Override
    public void close() {
        try {
            tap.close();
        } catch (Exception e) {
            log.debug("console: untap", e);
        }
        live.close();
    }
}
