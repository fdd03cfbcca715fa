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

/**
 * A local OpenAI-compatible chat completions server for the {@code llm} assignment: answers the n-th request with
 * the n-th scripted text (the last one repeats) in the streaming wire format ({@code data:} chunks, {@code [DONE]}).
 */
final class FakeModel implements AutoCloseable {
    private final HttpServer server;
    private final List<String> answers;
    private final AtomicInteger requests = new AtomicInteger();

    FakeModel(String... answers) throws IOException {
        this.answers = List.of(answers);
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
        ex.getRequestBody().readAllBytes();
        int n = requests.getAndIncrement();
        String text = answers.get(Math.min(n, answers.size() - 1));
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
