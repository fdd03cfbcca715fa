package io.agentwire.server;

import io.agentwire.dialect.spi.ProjectsClaim;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwire token --sub USER [--projects p1,p2] [--roles r1,r2] [--ttl 1h] [--config FILE]}: prints an HS256
 * token signed with the configured secret ({@code agentwire.auth.jwt.secret}, {@code AGENTWIRE_JWT_SECRET}), with the
 * configured {@code iss} and {@code aud}, for trying the dialects. {@code --projects} fills the claim the rooms
 * dialect reads ({@code agentwire.rooms.projects-claim}). Only the token is printed (so
 * {@code TOKEN=$(agentwire token --sub alice)} works). Exit code 2 without a secret or with a bad option.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Print a JWT signed with the configured secret (AGENTWIRE_JWT_SECRET), for trying a client.",
        footer = {"%nThe secret, issuer and audience come from the configuration, as for 'agentwire serve'.",
                "A server started with --dev and no secret generates its own: set AGENTWIRE_JWT_SECRET for both."})
final class TokenCommand implements Callable<Integer> {
    /** The longest lifetime a token may be given. */
    static final Duration MAX_TTL = Duration.ofDays(366);

    @Spec
    CommandSpec spec;

    @Option(names = "--sub", required = true, paramLabel = "USER", description = "The user id (the token's sub).")
    String subject;

    @Option(names = "--projects", split = ",", paramLabel = "ID",
            description = "Projects the user may follow (the rooms dialect's projects claim), comma-separated.")
    List<String> projects;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "Roles (the roles claim), comma-separated.")
    List<String> roles;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long the token is valid: 30m, 1h, 7d … (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration file (as for serve).")
    Path config;

    private final Map<String, String> env;
    private final Clock clock;

    TokenCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Duration lifetime;
        try {
            lifetime = ConfigFactory.parseMap(Map.of("ttl", ttl)).getDuration("ttl");
        } catch (ConfigException e) {
            err.println("agentwire: --ttl must be a duration such as 30m, 1h or 7d, was '" + ttl + "'");
            return Main.EXIT_USAGE;
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TTL) > 0) {
            err.println("agentwire: --ttl must be more than 0 and at most 366d, was " + ttl);
            return Main.EXIT_USAGE;
        }
        if (subject.isBlank()) {
            err.println("agentwire: --sub must not be blank");
            return Main.EXIT_USAGE;
        }
        AgentWireConfig cfg;
        try {
            // dev: only to read the auth keys without requiring a secret here; the secret is checked below
            cfg = AgentWireConfig.load(config, env, Map.of("agentwire.dev", true));
        } catch (ConfigurationException e) {
            err.println("agentwire: configuration error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (cfg.auth().jwtSecret().isEmpty()) {
            err.println("agentwire: no JWT secret is configured: set AGENTWIRE_JWT_SECRET (at least 32 bytes) or "
                    + "agentwire.auth.jwt.secret, the same the server uses");
            return Main.EXIT_USAGE;
        }
        Map<String, List<String>> claims = new LinkedHashMap<>();
        if (roles != null && !roles.isEmpty()) claims.put("roles", trimmed(roles));
        if (projects != null && !projects.isEmpty()) {
            String claim = cfg.dialects().stream().filter(DialectSettings::enabled).map(DialectSettings::settings)
                    .filter(ProjectsClaim.class::isInstance).map(c -> ((ProjectsClaim) c).projectsClaim())
                    .findFirst().orElse("projects");
            claims.put(claim, trimmed(projects));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        spec.commandLine().getOut().println(Tokens.hs256(cfg.auth().jwtSecret().get(), cfg.auth(), subject, claims,
                now, now.plus(lifetime)));
        return Main.EXIT_OK;
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
