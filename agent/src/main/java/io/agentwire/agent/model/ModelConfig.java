package io.agentwire.agent.model;

import io.agentwire.agent.Durations;
import io.agentwire.agent.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach an OpenAI-compatible chat completions API (OpenAI, vLLM, Ollama, llama.cpp's server …).
 * Immutable; validated on construction; {@link #toString()} never shows the key.
 *
 * @param baseUrl the API's base URL, up to and including {@code /v1} (for example {@code https://api.openai.com/v1},
 *     {@code http://localhost:11434/v1}); requests go to {@code <baseUrl>/chat/completions}
 * @param model the model name sent as {@code model}
 * @param apiKey sent as {@code Authorization: Bearer <key>} when present
 * @param connectTimeout how long to wait for the TCP/TLS connection
 * @param responseTimeout how long the model may stay silent: until the response headers arrive, and between two
 *     chunks of the stream; past it the attempt fails with {@code TIMEOUT} (retried, then {@code error.timeout})
 * @param retry how attempts that fail transiently (HTTP 408, 429, 5xx, a dropped connection, a timeout) are retried
 */
public record ModelConfig(URI baseUrl, String model, Optional<String> apiKey, Duration connectTimeout,
                          Duration responseTimeout, RetryPolicy retry) {

    public ModelConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Durations.positive("connectTimeout", connectTimeout);
        Durations.positive("responseTimeout", responseTimeout);
        Objects.requireNonNull(retry, "retry");
        apiKey = Objects.requireNonNull(apiKey, "apiKey").filter(k -> !k.isBlank());
        String scheme = baseUrl.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the model's base URL must be an http(s) URL, was " + baseUrl);
        }
        if (model.isBlank()) throw new IllegalArgumentException("the model name must not be blank");
    }

    /** A model at {@code baseUrl} with the defaults: no key, 10 s to connect, 120 s of silence, the envelope retry. */
    public static ModelConfig of(String baseUrl, String model) {
        return new ModelConfig(URI.create(baseUrl), model, Optional.empty(), Duration.ofSeconds(10),
                Duration.ofSeconds(120), RetryPolicy.ENVELOPE);
    }

    /** The chat completions endpoint. */
    public URI chatCompletions() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    }

    public ModelConfig withApiKey(String key) {
        return new ModelConfig(baseUrl, model, Optional.ofNullable(key), connectTimeout, responseTimeout, retry);
    }

    public ModelConfig withResponseTimeout(Duration timeout) {
        return new ModelConfig(baseUrl, model, apiKey, connectTimeout, timeout, retry);
    }

    public ModelConfig withRetry(RetryPolicy policy) {
        return new ModelConfig(baseUrl, model, apiKey, connectTimeout, responseTimeout, policy);
    }

    @Override
    public String toString() {
        return "ModelConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + apiKey.map(k -> "<set>").orElse("<none>")
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + ", retry=" + retry + "]";
    }
}
