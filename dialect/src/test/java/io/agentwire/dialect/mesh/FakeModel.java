package io.agentwire.dialect.mesh;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local OpenAI-compatible chat completions server for the {@code llm} assignment: answers the n-th request with
 * the n-th scripted text (the last one repeats) in the streaming wire format ({@code data:} chunks, {@code [DONE]}).
 */
final class FakeModel implements AutoCloseable {
    private final HttpServer server;
    private final List<String> answers;
    private final Function<String, String> responder; // request body -> answer; null answer: HTTP 500
    private final AtomicInteger requests = new AtomicInteger();

    FakeModel(String... answers) throws IOException {
        this(List.of(answers), null);
    }

    /** Answers each request with {@code responder(request body)}; a null answer is an HTTP 500. */
    FakeModel(Function<String, String> responder) throws IOException {
        this(List.of(""), responder);
    }

    private FakeModel(List<String> answers, Function<String, String> responder) throws IOException {
        this.answers = answers;
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int n = requests.getAndIncrement();
        String text = responder != null ? responder.apply(request) : answers.get(Math.min(n, answers.size() - 1));
        if (text == null) {
            byte[] err = "{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\"}}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", "application/json");
            ex.sendResponseHeaders(500, err.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(err);
            }
            return;
        }
        String chunk = Json.MAPPER.writeValueAsString(Json.obj().put("id", "c" + n).put("object", "chat.completion.chunk")
                .set("choices", Json.MAPPER.createArrayNode().add(Json.obj().put("index", 0).putNull("finish_reason")
                        .set("delta", Json.obj().put("role", "assistant").put("content", text)))));
        String done = Json.MAPPER.writeValueAsString(Json.obj().put("id", "c" + n).put("object", "chat.completion.chunk")
                .set("choices", Json.MAPPER.createArrayNode().add(Json.obj().put("index", 0).put("finish_reason", "stop")
                        .set("delta", Json.obj()))));
        byte[] body = ("data: " + chunk + "\n\ndata: " + done + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "text/event-stream");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
