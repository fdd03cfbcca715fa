package io.agentwire.dialect.rooms;

import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.BannerLine;
import io.agentwire.dialect.spi.Bound;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectMetrics;
import io.agentwire.dialect.spi.DialectProvider;
import io.agentwire.dialect.spi.DialectStartException;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.ProjectsClaim;
import io.agentwire.dialect.spi.RecordBinder;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.dialect.spi.SocketIoSettings;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rooms} dialect (spec 004) as the server finds it: section {@code agentwire.rooms}, Socket.IO on its own
 * port (8000 by default, shared with {@code tracking}), its HTTP API there and on the main port, its project grants
 * kept on the durable {@code access:} streams.
 */
public final class RoomsProvider implements DialectProvider<RoomsProvider.RoomsSettings> {
    private static final Logger log = LoggerFactory.getLogger(RoomsProvider.class);
    /** How long the project grants may take to load at start-up. */
    static final Duration GRANTS_LOAD_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param address the rooms port ({@code host}, {@code port})
     * @param dialect the dialect's own settings, the Socket.IO server's included
     */
    public record RoomsSettings(Listener.Address address, RoomsConfig dialect) implements ProjectsClaim {
        @Override
        public String projectsClaim() {
            return dialect.projectsClaim();
        }
    }

    @Override
    public String name() {
        return "rooms";
    }

    @Override
    public RoomsSettings settings(Settings s) {
        RoomsConfig dialect = RecordBinder.from(RoomsConfig.DEFAULT)
                .bind("namespace", s.stringSetting("namespace"))
                .bind("projectsClaim", s.stringSetting("projects-claim"))
                .derive("socketIo", SocketIoSettings.read(s, RoomsConfig.DEFAULT.socketIo()))
                .build();
        return new RoomsSettings(s.address(), dialect);
    }

    @Override
    public List<String> durableStreams(RoomsSettings settings) {
        return List.of("access:");
    }

    @Override
    public Dialect create(DialectContext ctx, RoomsSettings settings) {
        RoomsDialect rooms = new RoomsDialect(ctx.node(), ctx.presence(), ctx.tokens()::check, settings.dialect(),
                ctx.clock(), ctx.recoveryRecords().orElse(null), ctx.wireMeters(name()));
        SocketIoSettings.adminUi(rooms.socketIo(), ctx);
        return new Served(rooms, new RoomsApi(rooms, ctx.apiKeys(), ctx.clock()), settings, ctx.cluster());
    }

    /** The running dialect: its port with Socket.IO and the API, the API on the main port too. */
    private record Served(RoomsDialect rooms, RoomsApi api, RoomsSettings settings, boolean cluster) implements Dialect {

        @Override
        public List<Listener> listeners() {
            int payload = settings.dialect().socketIo().engineIo().maxPayload();
            return List.of(new Listener(settings.address(), payload,
                    Math.max(ServerConfig.DEFAULT_MAX_HTTP_BODY_BYTES, payload), routes -> api.install(rooms.install(routes))));
        }

        @Override
        public ConsoleView console() {
            return rooms.console();
        }

        @Override
        public void api(Routes.Builder routes) {
            api.install(routes);
        }

        @Override
        public void metrics(DialectMetrics metrics) {
            metrics.gauge("agentwire.rooms.connections", "open rooms (Socket.IO /ws) connections on this node",
                    rooms::connections);
            metrics.gauge("agentwire.rooms.engineio.sessions", "Engine.IO sessions of the rooms port, also those that "
                    + "have joined no namespace yet (bounded by agentwire.rooms.max-pending-sessions)",
                    rooms::engineIoSessions);
            metrics.counter("agentwire.rooms.events.published", "server events published to the rooms",
                    rooms::published);
        }

        @Override
        public Map<String, BooleanSupplier> readiness() {
            return Map.of("rooms grants", rooms::grantsReady);
        }

        /**
         * Reads the project grants before serving. On one node a store that can not be read is a start-up error; in
         * cluster mode Redis may come later: the grants keep trying and readiness says when they are in.
         */
        @Override
        public void start() {
            try {
                rooms.start().get(GRANTS_LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DialectStartException("interrupted while reading the rooms' project grants", e);
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CompletionException e) {
                if (!cluster) throw new DialectStartException("can not read the rooms' project grants: " + e.getMessage(), e);
                log.warn("rooms: the project grants can not be read yet ({}); retrying in the background, /readyz "
                        + "reports not ready until they are in", e.getMessage());
            }
        }

        @Override
        public List<BannerLine> banner(Bound bound, String sampleToken) {
            Listener.Address a = settings.address();
            String ns = settings.dialect().namespace().equals("/") ? "" : settings.dialect().namespace();
            List<BannerLine> lines = new ArrayList<>(List.of(
                    BannerLine.of("rooms", "http://" + bound.hostPort(a) + ns + "  (Socket.IO, path "
                            + settings.dialect().socketIo().engineIo().path() + ")"),
                    BannerLine.of("rooms api", "http://" + bound.hostPort(a) + RoomsApi.EVENTS + "  " + RoomsApi.STATS
                            + "  " + RoomsApi.ACCESS + "…  (also on :" + bound.port(Listener.Address.MAIN) + ")")));
            if (sampleToken != null) {
                lines.add(BannerLine.dev("try rooms", "io(\"http://" + bound.localHostPort(a) + ns
                        + "\", {auth: {token: \"" + sampleToken + "\"}})"));
            }
            return lines;
        }

        @Override
        public void close() {
            rooms.close();
        }
    }
}
