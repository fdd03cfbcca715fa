package io.agentwire.server;

import java.nio.file.Path;

/**
 * The block logged once the server listens: version, mode, where the data is, the transport, and where each
 * dialect and the operational endpoints are. In dev mode a second block shows the generated credentials.
 */
record StartupBanner(String version, boolean dev, Path dataDir, Path databaseFile, String transport, String host,
                     int port, String envelopePath, String trackingHost, int trackingPort, Rooms rooms,
                     long startMillis) {

    /** Where the rooms dialect listens: its port, its Socket.IO namespace and path. */
    record Rooms(String host, int port, String namespace, String path) { }

    /** The banner of a server without the rooms dialect. */
    StartupBanner(String version, boolean dev, Path dataDir, Path databaseFile, String transport, String host,
                  int port, String envelopePath, String trackingHost, int trackingPort, long startMillis) {
        this(version, dev, dataDir, databaseFile, transport, host, port, envelopePath, trackingHost, trackingPort, null,
                startMillis);
    }

    /** The banner of a server without the tracking and rooms ports. */
    StartupBanner(String version, boolean dev, Path dataDir, Path databaseFile, String transport, String host,
                  int port, String envelopePath, long startMillis) {
        this(version, dev, dataDir, databaseFile, transport, host, port, envelopePath, null, -1, null, startMillis);
    }

    String text() {
        return text(null);
    }

    /** The banner; in cluster mode ({@code cluster} not null) it names the cluster instead of the data directory. */
    String text(String cluster) {
        String http = "http://" + hostPort();
        return "AgentWire " + version + " started in " + startMillis + " ms (" + (dev ? "DEV" : "production")
                + " mode)\n"
                + (cluster != null ? line("cluster", cluster) : line("data dir", dataDir.toAbsolutePath().normalize()
                        + " (database " + databaseFile.toAbsolutePath().normalize() + ")"))
                + line("transport", transport)
                + line("envelope", "ws://" + hostPort() + envelopePath)
                + (trackingPort < 0 ? "" : line("tracking", "ws://" + hostPort(trackingHost, trackingPort)
                        + "/ws/agent-tracking/{client_id}")
                        + line("tracking api", http + TrackingApi.BASE + "/{agent-status,collaboration,logs}"))
                + (rooms == null ? "" : line("rooms", roomsUrl(hostPort(rooms.host(), rooms.port()))
                        + "  (Socket.IO, path " + rooms.path() + ")")
                        + line("rooms api", "http://" + hostPort(rooms.host(), rooms.port()) + RoomsApi.EVENTS + "  "
                                + RoomsApi.STATS + "  " + RoomsApi.ACCESS + "…  (also on :" + port + ")"))
                + line("health", http + "/healthz  " + http + "/readyz")
                + line("metrics", http + "/metrics").stripTrailing();
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
        creds.sampleToken().ifPresent(t -> b
                .append(line("sample token", t + "  (user \"" + DevCredentials.SAMPLE_USER + "\", expires "
                        + creds.sampleTokenExpiry().orElseThrow() + ")"))
                .append(line("try", "ws://" + localHost() + ":" + port + envelopePath + "?token=" + t)));
        if (rooms != null) {
            creds.sampleToken().ifPresent(t -> b.append(line("try rooms", "io(\"" + roomsUrl(localHost(rooms.host())
                    + ":" + rooms.port()) + "\", {auth: {token: \"" + t + "\"}})")));
        }
        return b.toString().stripTrailing();
    }

    private String hostPort() {
        return hostPort(host, port);
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private String roomsUrl(String hostPort) {
        return "http://" + hostPort + (rooms.namespace().equals("/") ? "" : rooms.namespace());
    }

    private String localHost() {
        return localHost(host);
    }

    private static String localHost(String host) {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return wildcard ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }

    private static String line(String label, String value) {
        return String.format("  %-13s %s%n", label, value);
    }
}
