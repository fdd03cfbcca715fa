package io.agentwire.core;

import java.util.concurrent.CompletableFuture;

/**
 * A language model as a dialect may consult it (e.g. the mesh dialect's {@code llm} task assignment): one system
 * instruction and one user prompt in, the model's text out. The server provides one through
 * {@code DialectContext.service(TextModel.class)} when a model is configured; dialects fall back to a rule when it
 * is absent or fails. Implementations never block the caller (the call runs on the model client's own threads).
 */
@FunctionalInterface
public interface TextModel {
    CompletableFuture<String> complete(String system, String prompt);
}
