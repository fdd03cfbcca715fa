package io.agentwire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A dialect's command on the command line: {@code agentwire mesh user add} (contributed by the mesh provider). */
@Tag("integration")
class DialectCommandsTest {

    @Test
    void meshUserAddPostsToTheAdminApiWithThePasswordFromStdin() throws Exception {
        AtomicReference<JsonNode> body = new AtomicReference<>();
        AtomicReference<String> key = new AtomicReference<>();
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/api/mesh/users", ex -> {
            body.set(JsonSocket.JSON.readTree(ex.getRequestBody().readAllBytes()));
            key.set(ex.getRequestHeaders().getFirst("x-api-key"));
            byte[] answer = "{\"userId\":\"user-1\",\"username\":\"alice\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(201, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        api.start();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("s3cret-pass\n".getBytes(StandardCharsets.UTF_8)));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new String[] {"mesh", "user", "add", "--username", "alice", "--server",
                    "http://127.0.0.1:" + api.getAddress().getPort()}, Map.of("AGENTWIRE_API_KEY", "k1"),
                    new PrintWriter(out, true), new PrintWriter(err, true), null);
            assertEquals(0, code, err.toString());
            assertEquals("alice", body.get().path("username").asText());
            assertEquals("s3cret-pass", body.get().path("password").asText());
            assertEquals("k1", key.get());
            assertTrue(out.toString().contains("created user alice"), out.toString());
            assertFalse(out.toString().contains("s3cret") || err.toString().contains("s3cret"), "the password is never printed");
        } finally {
            System.setIn(stdin);
            api.stop(0);
        }
    }

    @Test
    void withoutAnApiKeyItSaysWhichVariableToSet() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"mesh", "user", "add", "--username", "alice"}, Map.of(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), null);
        assertEquals(2, code);
        assertTrue(err.toString().contains("AGENTWIRE_API_KEY"), err.toString());
    }

    @Test
    void aGroupWithoutItsCommandIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"mesh"}, Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), null);
        assertEquals(2, code);
        assertTrue(err.toString().contains("missing command"), err.toString());
    }

    @Test
    void helpListsTheDialectCommand() {
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"mesh", "user", "add", "--help"}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), null);
        assertEquals(0, code);
        assertTrue(out.toString().contains("--username"), out.toString());
    }
}
