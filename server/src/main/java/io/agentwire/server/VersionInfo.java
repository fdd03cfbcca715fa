package io.agentwire.server;

import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * AgentWire's version and the git commit it was built from, from {@code version.properties} (filled in by the build;
 * {@code unknown} for what it could not record, e.g. a build outside a git clone), and {@code GET /version}.
 */
final class VersionInfo implements CommandLine.IVersionProvider {
    private static final Properties BUILD = load();
    private static final String VERSION = value("version");
    private static final String COMMIT = value("commit");

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} if the build did not record it. */
    static String version() {
        return VERSION;
    }

    /** The abbreviated git commit of the build, or {@code unknown}. */
    static String commit() {
        return COMMIT;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"agentwire " + VERSION + " (commit " + COMMIT + ")"};
    }

    /**
     * {@code GET /version}: {@code {"name":"agentwire","version","commit","commit_time","java","dialects":[…]}}, the
     * dialects this server serves.
     */
    static HttpHandler handler(List<String> dialects) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "agentwire");
        body.put("version", VERSION);
        body.put("commit", COMMIT);
        body.put("commit_time", value("commit.time"));
        body.put("java", Runtime.version().toString());
        body.put("dialects", List.copyOf(dialects));
        HttpReply reply = HttpReply.json(200, body);
        return request -> CompletableFuture.completedFuture(reply);
    }

    private static String value(String key) {
        String v = BUILD.getProperty(key, "");
        return v.isBlank() || v.contains("${") ? "unknown" : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // unknown
        }
        return p;
    }
}
