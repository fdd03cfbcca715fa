package io.agentwire.server.console;

import io.agentwire.transport.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The console's front end, bundled at build time (server/src/main/console: esbuild over Preact, htm and uPlot) into
 * the jar under {@value #DIR}: {@code index.html}, {@code app.js}, {@code app.css}, read once at start. A jar built
 * without it serves a page that says so.
 */
final class ConsoleAssets {
    static final String DIR = "io/agentwire/server/console/web/";
    private static final Map<String, String> TYPES = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    private static final String NOT_BUILT = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>AgentWire console</title></head><body><main><h1>AgentWire console</h1><p>This build has no "
            + "console front end: build the server with Node.js on the path (see docs/console.md).</p></main></body></html>";

    private final byte[] page;
    private final Map<String, byte[]> files;

    private ConsoleAssets(byte[] page, Map<String, byte[]> files) {
        this.page = page;
        this.files = files;
    }

    /** The assets, the page pointing at them under {@code base} (the console's path). */
    static ConsoleAssets load(String base) {
        byte[] html = read("index.html");
        byte[] page = html == null ? null
                : new String(html, StandardCharsets.UTF_8).replace("%BASE%", base).getBytes(StandardCharsets.UTF_8);
        byte[] js = read("app.js");
        byte[] css = read("app.css");
        if (page == null || js == null || css == null) return new ConsoleAssets(null, Map.of());
        return new ConsoleAssets(page, Map.of("app.js", js, "app.css", css));
    }

    boolean built() {
        return page != null;
    }

    HttpReply page() {
        return new HttpReply(200, "text/html; charset=utf-8",
                page != null ? page : NOT_BUILT.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** An asset by name, or 404. */
    HttpReply reply(String name) {
        byte[] body = files.get(name);
        if (body == null) return HttpReply.error(404, "NOT_FOUND", "no console asset " + name);
        return new HttpReply(200, TYPES.get(name), body, Map.of("x-content-type-options", "nosniff",
                "cache-control", "no-cache"));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(DIR + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console's " + name, e);
        }
    }
}
