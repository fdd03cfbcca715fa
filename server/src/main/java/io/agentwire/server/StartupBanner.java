package io.agentwire.server;

import io.agentwire.dialect.spi.BannerLine;
import java.nio.file.Path;
import java.util.List;

/**
 * The block logged once the server listens: version, mode, where the data is, the transport, each dialect's lines
 * (where it listens, its API) and the operational endpoints. In dev mode a second block shows the generated
 * credentials and the dialects' "try" lines.
 *
 * @param lines the dialects' lines, in dialect order (those marked dev go to the dev block)
 */
record StartupBanner(String version, boolean dev, Path dataDir, Path databaseFile, String transport, String host,
                     int port, List<BannerLine> lines, long startMillis) {

    StartupBanner {
        lines = List.copyOf(lines);
    }

    String text() {
        return text(null);
    }

    /** The banner; in cluster mode ({@code cluster} not null) it names the cluster instead of the data directory. */
    String text(String cluster) {
        String http = "http://" + hostPort();
        StringBuilder b = new StringBuilder("AgentWire " + version + " started in " + startMillis + " ms ("
                + (dev ? "DEV" : "production") + " mode)\n");
        b.append(cluster != null ? line("cluster", cluster) : line("data dir", dataDir.toAbsolutePath().normalize()
                + " (database " + databaseFile.toAbsolutePath().normalize() + ")"));
        b.append(line("transport", transport));
        lines.stream().filter(l -> !l.dev()).forEach(l -> b.append(line(l.label(), l.value())));
        b.append(line("health", http + "/healthz  " + http + "/readyz"));
        b.append(line("metrics", http + "/metrics"));
        return b.toString().stripTrailing();
    }

    /** The dev-mode warning with the generated credentials (shown only in dev mode). */
    String devText(DevCredentials creds) {
        StringBuilder b = new StringBuilder("DEV MODE: connections without a token are accepted as anonymous");
        if (creds.generatedSecret() || creds.generatedApiKey()) {
            b.append("; the credentials below are generated, valid for this run only");
        }
        b.append(". Never use --dev in production.\n");
        if (creds.generatedSecret()) {
            b.append(line("jwt secret", creds.jwtSecret().orElseThrow() + "  (set AGENTWIRE_JWT_SECRET to keep one)"));
        }
        if (creds.generatedApiKey()) b.append(line("api key", creds.apiKey().orElseThrow()));
        creds.sampleToken().ifPresent(t -> {
            b.append(line("sample token", t + "  (user \"" + DevCredentials.SAMPLE_USER + "\", expires "
                    + creds.sampleTokenExpiry().orElseThrow() + ")"));
            lines.stream().filter(BannerLine::dev).forEach(l -> b.append(line(l.label(), l.value())));
        });
        return b.toString().stripTrailing();
    }

    private String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String line(String label, String value) {
        return String.format("  %-13s %s%n", label, value);
    }
}
