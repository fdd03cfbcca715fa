package io.agentwire.transport.socketio;

import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import io.agentwire.core.Resume;
import io.agentwire.core.Subscriber;
import io.agentwire.core.Subscription;
import io.agentwire.transport.engineio.Outgoing;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one core subscription of a namespace on this server. Every publication of the namespace's stream arrives here
 * once, in offset order; the {@link RoomIndex} names its local recipients (a lookup per target room) and they get it
 * through their event loop's {@link LoopInbox}, encoded once. Started on first use, live at the stream's top. If the
 * core ends it (a gap it could not fill, a lost history), every local socket of the namespace is closed so that its
 * client resumes from its own offset, and the next socket starts a new subscription.
 */
final class NamespaceFeed {
    private static final Logger log = LoggerFactory.getLogger(NamespaceFeed.class);

    private final Namespace namespace;
    private final Node node;
    private final RoomIndex index;
    private volatile Generation current; // written under this

    NamespaceFeed(Namespace namespace, Node node, RoomIndex index) {
        this.namespace = namespace;
        this.node = node;
        this.index = index;
    }

    /** Completes once the feed is live and sockets may register in the index. Any thread. */
    CompletableFuture<Void> ready() {
        Generation g;
        synchronized (this) {
            if (current != null) return current.live;
            g = new Generation(index.reset(new ArrayList<>()));
            current = g;
        }
        // outside the monitor: the core may deliver (and end subscriptions) under its own locks meanwhile
        node.subscribe(namespace.stream(), g, null).whenComplete(g::started);
        return g.live;
    }

    /** Ends the subscription (the server closes); the next {@link #ready()} starts a new one. */
    void stop() {
        Generation g;
        synchronized (this) {
            g = current;
            current = null;
            if (g == null) return;
            index.reset(new ArrayList<>());
        }
        g.end(new CancellationException("the Socket.IO server was closed"));
    }

    private void terminated(Generation g, ErrorCode reason) {
        List<RoomIndex.Member> dropped = new ArrayList<>();
        synchronized (this) {
            if (current != g) return;
            current = null;
            index.reset(dropped);
        }
        log.warn("sio stream {} ended ({}); closing its {} local sockets so their clients resume", namespace.stream(),
                reason, dropped.size());
        g.end(new IllegalStateException("stream " + namespace.stream() + " ended: " + reason));
        for (RoomIndex.Member m : dropped) m.socket.closeConnection();
    }

    private void dispatch(Generation g, Publication p) {
        Namespace.Target target = p.encoded(namespace.target);
        List<RoomIndex.Member> to = index.dispatch(g.token, p.position(), target);
        if (to.isEmpty()) return;
        Outgoing wire = p.encoded(namespace.wire); // encoded once, here, rather than by the first event loop to need it
        LoopInbox first = to.get(0).inbox;
        if (allIn(to, first)) { // one event loop (or all recipients on one): the index's fresh list as it is
            first.offer(p, wire, target.isVolatile(), to);
            return;
        }
        Map<LoopInbox, List<RoomIndex.Member>> byLoop = new IdentityHashMap<>(4);
        for (RoomIndex.Member m : to) byLoop.computeIfAbsent(m.inbox, k -> new ArrayList<>()).add(m);
        byLoop.forEach((inbox, members) -> inbox.offer(p, wire, target.isVolatile(), members));
    }

    private static boolean allIn(List<RoomIndex.Member> to, LoopInbox inbox) {
        for (int i = 1, n = to.size(); i < n; i++) if (to.get(i).inbox != inbox) return false;
        return true;
    }

    /** One subscription of the feed; a restart makes a new one, and the old one's late deliveries are ignored. */
    private final class Generation implements Subscriber {
        final int token;
        final CompletableFuture<Void> live = new CompletableFuture<>();
        private volatile Subscription subscription;
        private volatile boolean ended;

        Generation(int token) {
            this.token = token;
        }

        void started(Resume resume, Throwable error) {
            if (error != null) {
                synchronized (NamespaceFeed.this) {
                    if (current == this) current = null;
                }
                live.completeExceptionally(error);
                return;
            }
            subscription = resume.subscription();
            if (ended || !resume.subscription().isOpen()) {
                resume.subscription().close();
                live.completeExceptionally(new IllegalStateException("stream " + namespace.stream() + " ended while starting"));
                return;
            }
            index.liveAt(token, resume.top());
            live.complete(null);
        }

        void end(Throwable why) {
            ended = true;
            Subscription s = subscription;
            if (s != null) s.close();
            live.completeExceptionally(why);
        }

        @Override
        public void onPublication(Publication p) {
            if (current == this) dispatch(this, p);
        }

        @Override
        public void onTerminated(ErrorCode reason) {
            terminated(this, reason);
        }
    }
}
