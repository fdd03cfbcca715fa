package io.agentwire.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwire health [--url URL]}: asks a running server's {@code /readyz} and exits 0 when it answers 200, 1
 * otherwise — a health check for images that have no shell or curl (the container image, deploy/compose.yaml).
 */
@Command(name = "health", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Exit 0 if a running server's /readyz answers 200, else 1 (a container health check).")
final class HealthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080/readyz",
            description = "The readiness URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            spec.commandLine().getOut().println(r.statusCode() + " " + r.body());
            return r.statusCode() == 200 ? Main.EXIT_OK : Main.EXIT_FAILURE;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("agentwire: " + url + " did not answer: " + e);
            return Main.EXIT_FAILURE;
        }
    }
}
