package io.agentwire.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A local fake of an OpenAI-compatible chat completions server, for tests: {@code POST /v1/chat/completions}
 * answered from a script ({@link #script}) in the real streaming wire format — {@code text/event-stream} with
 * {@code data: {chat.completion.chunk}} events, {@code delta.content} pieces, {@code delta.tool_calls} split over
 * chunks by {@code index}, {@code finish_reason}, and {@code data: [DONE]} — or an HTTP error, or no answer at all.
 * Every request body is recorded. Handlers run on virtual threads, so a hanging answer blocks nothing else.
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** One scripted answer. */
    public sealed interface Reply permits Stream, Status, Hang { }

    /**
     * A 200 event stream of these {@code data:} payloads, written and flushed one by one, then {@code [DONE]} — or,
     * with {@code stall}, nothing more: the stream stays open and silent until the server is closed.
     */
    public record Stream(List<String> events, boolean stall) implements Reply {
        public Stream(List<String> events) {
            this(events, false);
        }
    }

    /** An HTTP error with an OpenAI error body. */
    public record Status(int status, String message) implements Reply { }

    /** Never answers (not even the headers) until the server is closed. */
    public record Hang() implements Reply { }

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<JsonNode, Reply> script = body -> text("(no script)");

    public FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL to configure: {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Sets how requests are answered: a function of the request body. */
    public FakeOpenAi script(Function<JsonNode, Reply> script) {
        this.script = script;
        return this;
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    // --- replies ---

    /** A text answer streamed in pieces of a few characters, {@code finish_reason: stop}. */
    public static Reply text(String content) {
        List<String> events = new ArrayList<>();
        events.add(chunk(delta().put("role", "assistant").put("content", ""), null));
        for (int i = 0; i < content.length(); i += 7) {
            events.add(chunk(delta().put("content", content.substring(i, Math.min(content.length(), i + 7))), null));
        }
        events.add(chunk(delta(), "stop"));
        return new Stream(events);
    }

    /** The start of a text answer (its first pieces), then silence with the stream open. */
    public static Reply textThenStall(String start) {
        Stream text = (Stream) text(start);
        return new Stream(text.events().subList(0, text.events().size() - 1), true);
    }

    /** Tool calls ({@code id, name, arguments} triples), each split over chunks as OpenAI does; {@code finish_reason: tool_calls}. */
    public static Reply toolCalls(String... idNameArgs) {
        List<String> events = new ArrayList<>();
        events.add(chunk(delta().put("role", "assistant").putNull("content"), null));
        for (int i = 0; i + 2 < idNameArgs.length; i += 3) {
            int index = i / 3;
            String args = idNameArgs[i + 2];
            ObjectNode first = delta();
            ObjectNode call = first.putArray("tool_calls").addObject().put("index", index).put("id", idNameArgs[i])
                    .put("type", "function");
            call.putObject("function").put("name", idNameArgs[i + 1]).put("arguments", "");
            events.add(chunk(first, null));
            int half = args.length() / 2;
            for (String part : List.of(args.substring(0, half), args.substring(half))) {
                ObjectNode d = delta();
                d.putArray("tool_calls").addObject().put("index", index).putObject("function").put("arguments", part);
                events.add(chunk(d, null));
            }
        }
        events.add(chunk(delta(), "tool_calls"));
        return new Stream(events);
    }

    /**
     * {@code stream} followed by a usage-only chunk ({@code choices: []}, {@code usage}), as OpenAI sends last when
     * asked for {@code stream_options.include_usage}.
     */
    public static Reply withUsage(Reply stream, long promptTokens, long completionTokens) {
        ObjectNode c = JSON.objectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", "fake-model");
        c.putArray("choices");
        c.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        List<String> events = new ArrayList<>(((Stream) stream).events());
        events.add(c.toString());
        return new Stream(events);
    }

    public static Reply status(int status, String message) {
        return new Status(status, message);
    }

    public static Reply hang() {
        return new Hang();
    }

    private static ObjectNode delta() {
        return JSON.objectNode();
    }

    private static String chunk(ObjectNode delta, String finishReason) {
        ObjectNode c = JSON.objectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", "fake-model");
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        return c.toString();
    }

    // --- helpers for scripts ---

    /** The system message of a request (which phase asks). */
    public static String system(JsonNode body) {
        for (JsonNode m : body.path("messages")) if ("system".equals(m.path("role").asText())) return m.path("content").asText();
        return "";
    }

    /** The text of every user message of a request, joined. */
    public static String user(JsonNode body) {
        StringBuilder s = new StringBuilder();
        for (JsonNode m : body.path("messages")) if ("user".equals(m.path("role").asText())) s.append(m.path("content").asText()).append('\n');
        return s.toString();
    }

    /** Whether the request already carries a tool result (the solver's second turn). */
    public static boolean hasToolResult(JsonNode body) {
        for (JsonNode m : body.path("messages")) if ("tool".equals(m.path("role").asText())) return true;
        return false;
    }

    /** The content of the last tool message, or null. */
    public static String lastToolResult(JsonNode body) {
        String last = null;
        for (JsonNode m : body.path("messages")) if ("tool".equals(m.path("role").asText())) last = m.path("content").asText();
        return last;
    }

    // --- the server ---

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            requests.add(body);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (!"POST".equals(exchange.getRequestMethod()) || !body.path("stream").asBoolean()) {
                send(exchange, new Status(400, "this fake only streams"));
                return;
            }
            send(exchange, script.apply(body));
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        switch (reply) {
            case Hang h -> await();
            case Status s -> {
                byte[] b = JSON.objectNode().set("error", JSON.objectNode().put("message", s.message())
                        .put("type", "fake_error")).toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(s.status(), b.length);
                exchange.getResponseBody().write(b);
            }
            case Stream st -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (String e : st.events()) {
                    out.write(("data: " + e + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (st.stall()) {
                    await();
                    return;
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private void await() {
        try {
            closing.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
