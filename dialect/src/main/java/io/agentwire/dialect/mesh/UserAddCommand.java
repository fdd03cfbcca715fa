package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.dialect.spi.DialectCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code agentwire mesh user add --username NAME [--server URL]}: creates a mesh user on a running server through
 * its admin API ({@code POST /api/mesh/users}) with the API key of {@code AGENTWIRE_API_KEY}. The password is read
 * without echo from the console, or as the first line of standard input ({@code echo "$PW" | agentwire mesh user
 * add --username alice}); it never appears on the command line.
 */
final class UserAddCommand {
    private UserAddCommand() { }

    static DialectCommand command() {
        return new DialectCommand(List.of("mesh", "user", "add"),
                "Create a mesh (spec 003) user on a running server; the password is read from the console or stdin.",
                List.of(new DialectCommand.Option("username", "The user's name (1-128 of A-Z a-z 0-9 . _ @ -).", true, false, null),
                        new DialectCommand.Option("server", "The server's HTTP API (default: ${DEFAULT-VALUE}).", false, false,
                                "http://127.0.0.1:8080")),
                UserAddCommand::run);
    }

    private static int run(Map<String, String> o, DialectCommand.Io io) throws Exception {
        String key = io.env().get("AGENTWIRE_API_KEY");
        if (key == null || key.isBlank()) {
            io.err().println("agentwire mesh user add: set AGENTWIRE_API_KEY to the server's API key");
            return 2;
        }
        String password = io.readSecret("Password for " + o.get("username") + ": ");
        if (password == null || password.isEmpty()) {
            io.err().println("agentwire mesh user add: no password given (console or first line of stdin)");
            return 2;
        }
        String body = Json.MAPPER.writeValueAsString(Json.obj().put("username", o.get("username")).put("password", password));
        HttpRequest request = HttpRequest.newBuilder(URI.create(o.get("server").replaceAll("/+$", "") + "/api/mesh/users"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json").header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = Json.MAPPER.readTree(r.body().isEmpty() ? "{}" : r.body());
            if (r.statusCode() == 201) {
                io.out().println("created user " + answer.path("username").asText() + " (" + answer.path("userId").asText() + ")");
                return 0;
            }
            io.err().println("agentwire mesh user add: " + r.statusCode() + " " + answer.path("error").path("message").asText(r.body()));
            return 1;
        }
    }
}
