package io.agentwire.dialect.shout;

import io.agentwire.dialect.spi.BannerLine;
import io.agentwire.dialect.spi.Bound;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectMetrics;
import io.agentwire.dialect.spi.DialectProvider;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.Routes;
import io.agentwire.transport.WebSocketEndpoint;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The smallest working dialect — the example of docs/architecture.md, "Adding a dialect" — in the test tree so the
 * build exercises the guide: a WebSocket endpoint that answers every text message in upper case, an HTTP route on
 * the main port, a metric, a readiness check and a banner line. Found through
 * {@code META-INF/services/io.agentwire.dialect.spi.DialectProvider} (test resources), configured from
 * {@code io/agentwire/dialect/shout/reference.conf}; off unless {@code agentwire.shout.enabled = true}.
 */
public final class ShoutProvider implements DialectProvider<ShoutProvider.ShoutSettings> {

    /** The section {@code agentwire.shout}: where it listens and on which path. */
    public record ShoutSettings(Listener.Address address, String path) { }

    @Override
    public String name() {
        return "shout";
    }

    @Override
    public ShoutSettings settings(Settings s) {
        String path = s.string("path");
        if (!path.startsWith("/")) throw s.refuse("path", "must start with '/'");
        return new ShoutSettings(s.address(), path);
    }

    @Override
    public Dialect create(DialectContext context, ShoutSettings settings) {
        return new Shout(settings, context);
    }

    private static final class Shout implements Dialect, WsHandler {
        private final ShoutSettings settings;
        private final DialectContext context;
        private final AtomicLong shouted = new AtomicLong();

        Shout(ShoutSettings settings, DialectContext context) {
            this.settings = settings;
            this.context = context;
        }

        @Override
        public List<Listener> listeners() {
            return List.of(new Listener(settings.address(), 4096, 4096,
                    routes -> routes.webSocket(WebSocketEndpoint.at(settings.path(), DialectContext.ANYONE, this))));
        }

        @Override
        public void api(Routes.Builder routes) {
            routes.get("/api/v1/shout/count", request -> CompletableFuture.completedFuture(
                    HttpReply.json(200, Map.of("shouted", shouted.get()))));
        }

        @Override
        public void metrics(DialectMetrics metrics) {
            metrics.counter("agentwire.shout.messages", "messages shouted back", shouted::get);
        }

        @Override
        public Map<String, BooleanSupplier> readiness() {
            return Map.of("shout", context.node()::ready);
        }

        @Override
        public List<BannerLine> banner(Bound bound, String sampleToken) {
            return List.of(BannerLine.of("shout", "ws://" + bound.hostPort(settings.address()) + settings.path()));
        }

        @Override
        public void onOpen(WsConnection ws) { }

        @Override
        public void onText(WsConnection ws, String text) {
            shouted.incrementAndGet();
            ws.send(text.toUpperCase(Locale.ROOT));
        }

        @Override
        public void onClose(WsConnection ws, int code, String reason) { }

        @Override
        public void close() { }
    }
}
