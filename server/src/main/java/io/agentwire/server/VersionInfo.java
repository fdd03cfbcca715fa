package io.agentwire.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** AgentWire's version, from {@code version.properties} (filled in by the build). */
final class VersionInfo implements CommandLine.IVersionProvider {
    private static final String VERSION = load();

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} if the build did not record it. */
    static String version() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"agentwire " + VERSION};
    }

    private static String load() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.contains("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
