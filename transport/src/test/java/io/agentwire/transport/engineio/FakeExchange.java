package io.agentwire.transport.engineio;

import io.agentwire.transport.HttpExchange;
import java.util.concurrent.ScheduledExecutorService;

/** The connection side of a long-polling request, without a socket: a test hangs it up with {@link #drop()}. */
final class FakeExchange implements HttpExchange {
    private final ScheduledExecutorService loop;
    private Runnable onClosed;
    private boolean open = true;

    FakeExchange(ScheduledExecutorService loop) {
        this.loop = loop;
    }

    @Override public ScheduledExecutorService executor() { return loop; }
    @Override public void onClosed(Runnable callback) { onClosed = callback; }
    @Override public boolean isOpen() { return open; }

    /** The client hangs up before the reply was written. */
    void drop() {
        open = false;
        if (onClosed != null) onClosed.run();
    }
}
