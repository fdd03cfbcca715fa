package io.agentwire.dialect.envelope;

import io.agentwire.core.WireMeters;
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
import io.agentwire.transport.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code envelope} dialect (specs/envelope.md) as the server finds it: section {@code agentwire.envelope}, one
 * WebSocket endpoint on the main HTTP port ({@code ws://HOST:8080/ws}), authenticated with the server's JWT.
 */
public final class EnvelopeProvider implements DialectProvider<EnvelopeConfig> {

    @Override
    public String name() {
        return "envelope";
    }

    /** The section's keys; the default agent is the server's ({@code agentwire.agents.default}), set at creation. */
    @Override
    public EnvelopeConfig settings(Settings s) {
        return RecordBinder.from(EnvelopeConfig.DEFAULT)
                .bind("path", s.stringSetting("path"))
                .bind("heartbeatInterval", s.durationSetting("heartbeat-interval"))
                .bind("heartbeatTimeout", s.durationSetting("heartbeat-timeout"))
                .bind("maxPayloadBytes", s.bytesSetting("max-payload"))
                .bind("ratePerSecond", s.setting("rate-limit.per-second", s.number("rate-limit.per-second")))
                .bind("rateBurst", s.intSetting("rate-limit.burst"))
                .bind("replaysPerPrincipal", s.intSetting("replays-per-principal"))
                .build();
    }

    @Override
    public Dialect create(DialectContext ctx, EnvelopeConfig settings) {
        EnvelopeConfig config = RecordBinder.from(settings).derive("defaultAgent", ctx.defaultAgent()).build();
        WireMeters meters = ctx.wireMeters(name());
        return new Served(new EnvelopeDialect(ctx.node(), ctx.sessions(), ctx.agents(), config, meters), ctx);
    }

    private record Served(EnvelopeDialect envelope, DialectContext ctx) implements Dialect {
        @Override
        public List<Listener> listeners() {
            return List.of(new Listener(Listener.Address.MAIN, envelope.config().maxPayloadBytes(),
                    ServerConfig.DEFAULT_MAX_HTTP_BODY_BYTES, routes -> routes.webSocket(envelope.endpoint(ctx.jwt()))));
        }

        @Override
        public void metrics(DialectMetrics metrics) {
            metrics.gauge("agentwire.envelope.connections", "open envelope WebSocket connections", envelope::connections);
        }

        @Override
        public List<BannerLine> banner(Bound bound, String sampleToken) {
            List<BannerLine> lines = new ArrayList<>();
            lines.add(BannerLine.of("envelope", "ws://" + bound.hostPort(Listener.Address.MAIN) + envelope.config().path()));
            if (sampleToken != null) {
                lines.add(BannerLine.dev("try", "ws://" + bound.localHostPort(Listener.Address.MAIN)
                        + envelope.config().path() + "?token=" + sampleToken));
            }
            return lines;
        }

        @Override
        public ConsoleView console() {
            return envelope.console();
        }

        @Override
        public void close() {
            envelope.close();
        }
    }
}
