package io.agentwire.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RetryableException;
import io.agentwire.agent.RunCancelledException;
import io.agentwire.agent.StepTimeoutException;
import io.agentwire.core.ErrorCode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the OpenAI-compatible {@code POST /chat/completions} API with {@code stream: true}, on the JDK's
 * HttpClient: it reads the server-sent events ({@code data: {…}} lines, {@code data: [DONE]} at the end), hands
 * every {@code choices[0].delta.content} piece to a listener as it arrives, and joins
 * {@code delta.tool_calls} (by {@code index}) into {@link ToolCall}s.
 *
 * <p>One call is one attempt; {@link ModelCalls} retries. Failures: HTTP 408, 429, 5xx, a dropped or refused
 * connection and a stream cut short are {@link RetryableException} ({@code UPSTREAM_ERROR}); a model silent for
 * {@link ModelConfig#responseTimeout()} (before the headers or between chunks) is a {@link StepTimeoutException};
 * other 4xx and an unreadable stream are a {@link ModelException}. A cancelled run aborts the exchange at once
 * (the request future is cancelled, the stream closed) and the call throws {@link RunCancelledException}.
 * Thread-safe; one client serves every run.
 */
public final class OpenAiChatClient {
    private static final Logger log = LoggerFactory.getLogger(OpenAiChatClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2048;

    private final ModelConfig config;
    private final HttpClient http;
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();

    public OpenAiChatClient(ModelConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .build();
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Asks for one streamed completion.
     *
     * @param onContent receives each text piece as it arrives, on the calling thread
     * @param ctx the run: its cancellation aborts the exchange
     */
    public ChatResponse complete(ChatRequest request, Consumer<String> onContent, AgentContext ctx) {
        attempts.increment();
        try {
            return attempt(request, onContent, ctx);
        } catch (RetryableException | ModelException e) {
            failures.increment();
            throw e;
        }
    }

    /** Requests sent to the model (every attempt counts). */
    public long attempts() {
        return attempts.sum();
    }

    /** Attempts that failed (HTTP error, timeout, broken stream); cancelled ones do not count. */
    public long failures() {
        return failures.sum();
    }

    /** Prompt tokens the model reported ({@code usage} in a stream's chunk; servers that send none count 0). */
    public long promptTokens() {
        return promptTokens.sum();
    }

    /** Completion tokens the model reported. */
    public long completionTokens() {
        return completionTokens.sum();
    }

    private ChatResponse attempt(ChatRequest request, Consumer<String> onContent, AgentContext ctx) {
        HttpRequest.Builder req = HttpRequest.newBuilder(config.chatCompletions())
                .timeout(config.responseTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(request.body(config.model()).toString()));
        config.apiKey().ifPresent(key -> req.header("Authorization", "Bearer " + key));
        CompletableFuture<HttpResponse<InputStream>> exchange =
                http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (AgentContext.Registration abort = ctx.onCancel(() -> exchange.cancel(true))) {
            HttpResponse<InputStream> response = await(exchange, ctx);
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) throw failure(response.statusCode(), body);
                try (SseLines lines = new SseLines(body, ctx)) {
                    return read(lines, onContent);
                }
            } catch (IOException e) {
                throw new RetryableException(ErrorCode.UPSTREAM_ERROR, "the model's stream failed: " + e.getMessage(), e);
            }
        }
    }

    private HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> exchange, AgentContext ctx) {
        try {
            return exchange.get(config.responseTimeout().toMillis() + config.connectTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException | CancellationException e) {
            exchange.cancel(true); // aborts the exchange
            throw new RunCancelledException(ctx.runId());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw silent();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (ctx.cancelled()) throw new RunCancelledException(ctx.runId());
            if (cause instanceof HttpTimeoutException) throw silent();
            throw new RetryableException(ErrorCode.UPSTREAM_ERROR, "could not reach the model at "
                    + config.baseUrl() + ": " + describe(cause), cause);
        }
    }

    private StepTimeoutException silent() {
        return new StepTimeoutException(null, config.responseTimeout(),
                "the model did not answer within " + config.responseTimeout().toMillis() + " ms");
    }

    private RuntimeException failure(int status, InputStream body) throws IOException {
        String text = new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        String detail = errorMessage(text);
        String message = "the model answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        log.debug("model call failed: {}", message);
        if (status == 408 || status == 429 || status >= 500) {
            return new RetryableException(ErrorCode.UPSTREAM_ERROR, message);
        }
        return new ModelException(message);
    }

    /** The {@code error.message} of an OpenAI error body, or the body's start. */
    private static String errorMessage(String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            JsonNode m = json.path("error").path("message");
            if (m.isTextual()) return m.asText();
            if (json.path("error").isTextual()) return json.path("error").asText();
        } catch (IOException | RuntimeException e) {
            // not JSON: show its start
        }
        String s = body.strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private ChatResponse read(SseLines lines, Consumer<String> onContent) throws IOException {
        StreamedCompletion completion = new StreamedCompletion();
        String line;
        while ((line = lines.next(config.responseTimeout())) != null) {
            if (!line.startsWith("data:")) continue; // comments (": keep-alive"), event:, id:, blank separators
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) return completion.response();
            JsonNode chunk;
            try {
                chunk = MAPPER.readTree(data);
            } catch (IOException e) {
                throw new ModelException("the model's stream is not chat completion chunks: " + abbreviate(data));
            }
            if (chunk.has("error")) throw failure(500, new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                promptTokens.add(Math.max(0, usage.path("prompt_tokens").asLong()));
                completionTokens.add(Math.max(0, usage.path("completion_tokens").asLong()));
            }
            String piece = completion.add(chunk);
            if (piece != null && !piece.isEmpty()) onContent.accept(piece);
        }
        if (completion.finished()) return completion.response(); // some servers end without [DONE]
        throw new RetryableException(ErrorCode.UPSTREAM_ERROR, "the model's stream ended before it was complete");
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    /**
     * The lines of the event stream, read by a virtual thread of their own so that the caller can wait for the
     * next one with a time limit (the model's silence) and be interrupted (the run's cancellation). Closing stops
     * the reader and the HTTP exchange.
     */
    private static final class SseLines implements AutoCloseable {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final InputStream body;
        private final Thread reader;
        private final AgentContext ctx;

        SseLines(InputStream body, AgentContext ctx) {
            this.body = body;
            this.ctx = ctx;
            this.reader = Thread.ofVirtual().name("aw-model-stream").start(this::pump);
        }

        private void pump() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) queue.add(line);
                queue.add(END);
            } catch (IOException | RuntimeException e) {
                queue.add(e);
            }
        }

        /** The next line, or null at the end of the stream. */
        String next(Duration silence) throws IOException {
            Object item;
            try {
                item = queue.poll(silence.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new RunCancelledException(ctx.runId());
            }
            if (item == null) {
                throw new StepTimeoutException(null, silence, "the model sent nothing for " + silence.toMillis() + " ms");
            }
            if (item == END) return null;
            if (item instanceof IOException e) throw e;
            if (item instanceof RuntimeException e) throw new IOException(e.getMessage(), e);
            return (String) item;
        }

        @Override
        public void close() {
            reader.interrupt();
            try {
                body.close();
            } catch (IOException e) {
                log.debug("closing the model stream", e);
            }
        }
    }
}
