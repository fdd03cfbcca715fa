package io.agentwire.core;

/**
 * The outcome of {@link Node#subscribe}: the subscription (live from here on) and what happened to the
 * requested position.
 *
 * @param outcome LIVE (no position was asked for), RECOVERED (every publication after the position was
 *     delivered, in order, before any live one) or NOT_RECOVERED (nothing was replayed: delivery goes on after
 *     {@code top}; the dialect tells its client in its own shape)
 * @param top the position delivery continues after: the last replayed publication, or the stream's top when
 *     nothing was replayed
 * @param replayed how many publications were replayed
 * @param source where the replay came from
 * @param gap why recovery was not possible (NONE otherwise)
 */
public record Resume(Subscription subscription, Outcome outcome, StreamPosition top, int replayed, Source source,
                     History.Gap gap) {

    public enum Outcome { LIVE, RECOVERED, NOT_RECOVERED }

    public enum Source { NONE, WINDOW, LOG }

    public boolean recovered() { return outcome == Outcome.RECOVERED; }
}
