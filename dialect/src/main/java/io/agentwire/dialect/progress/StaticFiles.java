package io.agentwire.dialect.progress;

import io.agentwire.core.Blocking;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A user's single-page front end ({@code agentwire.progress.static-dir}) on the progress port: {@code index.html} at
 * {@code /}, files under their paths with their content types. No directory listing (a directory is 404), no path
 * traversal: a path with a {@code ..} segment, a backslash or a NUL, or one that resolves (symbolic links followed)
 * outside the directory, is 404. Routes of the Socket.IO server and the API are longer prefixes and win.
 */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"), Map.entry("webmanifest", "application/manifest+json"));

    private final Path root;

    StaticFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    void install(Routes.Builder routes) {
        routes.prefixRoute("GET", "/", this::serve);
    }

    CompletableFuture<HttpReply> serve(HttpRequestData r) {
        String path = r.path();
        if (path.equals("/")) path = "/index.html";
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) return notFound();
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) return notFound();
        }
        Path file = root.resolve(path.substring(1)).normalize();
        if (!file.startsWith(root)) return notFound();
        return Blocking.supply(() -> read(file));
    }

    private HttpReply read(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(root.toRealPath(LinkOption.NOFOLLOW_LINKS))) {
            return ProgressApi.failure(404, "Not found");
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
        return new HttpReply(200, type, Files.readAllBytes(file), Map.of("x-content-type-options", "nosniff",
                "cache-control", "no-cache"));
    }

    private static CompletableFuture<HttpReply> notFound() {
        return CompletableFuture.completedFuture(ProgressApi.failure(404, "Not found"));
    }
}
