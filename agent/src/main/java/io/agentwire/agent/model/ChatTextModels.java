package io.agentwire.agent.model;

import io.agentwire.core.TextModel;
import io.agentwire.core.TextModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The core {@link TextModels} port over named OpenAI-compatible models ({@code agentwire.models}): one
 * {@link ChatTextModel} per name, each with its own client. What the server hands dialects through
 * {@code DialectContext.service(TextModels.class)} when named models are configured.
 */
public final class ChatTextModels implements TextModels {
    private final Map<String, TextModel> models = new LinkedHashMap<>();

    public ChatTextModels(Map<String, ModelConfig> configs) {
        configs.forEach((name, config) -> models.put(name, new ChatTextModel(new OpenAiChatClient(config))));
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(models.keySet());
    }

    @Override
    public Optional<TextModel> named(String name) {
        return Optional.ofNullable(models.get(name));
    }
}
