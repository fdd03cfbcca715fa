package io.agentwire.agent.toolsmith;

/** Turns a text into a unit-length vector whose dot product with another is their cosine similarity. */
public interface Embedder {
    float[] embed(String text);

    /** The cosine similarity of two unit vectors (their dot product). */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += a[i] * b[i];
        return dot;
    }

    /** {@code v} scaled to unit length (in place); returns it. */
    static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm > 0) for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
        return v;
    }
}
