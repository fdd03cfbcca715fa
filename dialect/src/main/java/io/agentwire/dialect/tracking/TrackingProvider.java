package io.agentwire.dialect.tracking;

import io.agentwire.dialect.spi.BannerLine;
import io.agentwire.dialect.spi.Bound;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectMetrics;
import io.agentwire.dialect.spi.DialectProvider;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.RecordBinder;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import java.util.List;

/**
 * The {@code tracking} dialect (spec 002) as the server finds it: section {@code agentwire.tracking}, the
 * dashboards' WebSocket on its own port (8000 by default, shared with {@code rooms}) at spec 002's path and at the
 * path AgentCraft's components use (each with its vocabulary), the backends' HTTP API on the main port, and its
 * journal on the durable {@code tracking:} streams (the state it shows again after a restart).
 */
public final class TrackingProvider implements DialectProvider<TrackingProvider.TrackingSettings> {

    /**
     * @param address the tracking port
     * @param requireToken whether dashboards must present the server's JWT (spec 002 has no credentials)
     * @param dialect the dialect's own settings
     */
    public record TrackingSettings(Listener.Address address, boolean requireToken, TrackingConfig dialect) { }

    @Override
    public String name() {
        return "tracking";
    }

    @Override
    public TrackingSettings settings(Settings s) {
        TrackingConfig dialect = RecordBinder.from(TrackingConfig.DEFAULT)
                .bind("clientIdPattern", s.stringSetting("client-id-pattern"))
                .bind("pingInterval", s.durationSetting("ping-interval"))
                .bind("pongTimeout", s.durationSetting("pong-timeout"))
                .bind("rateLimitMessages", s.intSetting("rate-limit.messages"))
                .bind("rateLimitWindow", s.durationSetting("rate-limit.window"))
                .bind("maxPayloadBytes", s.bytesSetting("max-payload"))
                .bind("logLinesPerSession", s.intSetting("log-lines"))
                .bind("sessionRetention", s.durationSetting("session-retention"))
                .bind("maxSessions", s.intSetting("max-sessions"))
                .build();
        Listener.Address address = s.address();
        return new TrackingSettings(address, s.bool("require-token"), dialect);
    }

    /** The tracking journal: backends' reports and the envelope sessions tracked, read back at start. */
    @Override
    public List<String> durableStreams(TrackingSettings settings) {
        return List.of(TrackingJournal.PREFIX);
    }

    @Override
    public Dialect create(DialectContext ctx, TrackingSettings settings) {
        TrackingConfig config = RecordBinder.from(settings.dialect()).derive("agentName", ctx.defaultAgent()).build();
        TrackingDialect tracking = new TrackingDialect(ctx.node(), config, ctx.clock(), ctx.wireMeters(name()));
        return new Served(tracking, new TrackingApi(tracking, ctx.apiKeys()), settings, ctx);
    }

    private record Served(TrackingDialect tracking, TrackingApi api, TrackingSettings settings, DialectContext ctx)
            implements Dialect {

        /** Spec 002's dashboards send no credentials: anonymous unless {@code require-token} asks for the JWT. */
        @Override
        public List<Listener> listeners() {
            int payload = tracking.config().maxPayloadBytes();
            var auth = settings.requireToken() ? ctx.jwt() : DialectContext.ANYONE;
            return List.of(new Listener(settings.address(), payload, ServerConfig.DEFAULT_MAX_HTTP_BODY_BYTES,
                    routes -> tracking.endpoints(auth).forEach(e -> routes.webSocket(e.withMaxMessageBytes(payload)))));
        }

        @Override
        public void api(Routes.Builder routes) {
            api.install(routes);
        }

        @Override
        public ConsoleView console() {
            return tracking.console();
        }

        @Override
        public void metrics(DialectMetrics metrics) {
            metrics.gauge("agentwire.tracking.connections", "open tracking (dashboard) WebSocket connections",
                    tracking::connections);
            metrics.gauge("agentwire.tracking.sessions", "sessions the tracking dialect tracks", tracking::trackedSessions);
        }

        @Override
        public List<BannerLine> banner(Bound bound, String sampleToken) {
            return List.of(
                    BannerLine.of("tracking", "ws://" + bound.hostPort(settings.address()) + TrackingDialect.PATH_PREFIX
                            + "{client_id}"),
                    BannerLine.of("agentcraft", "ws://" + bound.hostPort(settings.address())
                            + TrackingDialect.AGENTCRAFT_PATH_PREFIX + "{client_id}"),
                    BannerLine.of("tracking api", "http://" + bound.hostPort(Listener.Address.MAIN) + TrackingApi.BASE
                            + "/{agent-status,collaboration,logs}"));
        }

        @Override
        public void close() {
            tracking.close();
        }
    }
}
