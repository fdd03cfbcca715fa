package io.agentwire.agent.remote;

import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentDirectory;
import io.agentwire.core.ErrorCode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote agents (docs/remote-agents.md): processes in any language that connect over WebSocket, register a
 * name, and run the runs that clients start with that name. This is the protocol's server side, free of the
 * transport: the server hands it each connection as an {@link AgentLink} and calls {@link #onText} and
 * {@link #closed} from the connection's event loop (nothing here blocks). It is also the {@link AgentDirectory}
 * through which the runtime finds a registered agent by name, while it is connected and during its grace period.
 */
public final class RemoteAgents implements AgentDirectory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteAgents.class);

    private final RemoteAgentsConfig config;
    private final Set<String> reserved;
    private final ConcurrentHashMap<String, Registration> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Registration> byLink = new ConcurrentHashMap<>();
    /** The ended runs of names whose registration expired, for the agent that takes the name next. */
    private final Map<String, Map<String, Registration.Ended>> endedOfGone =
            Collections.synchronizedMap(new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, Registration.Ended>> e) {
                    return size() > 1_000;
                }
            });
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("aw-remote-agents").daemon().factory());

    /**
     * @param config the endpoint's settings
     * @param reserved names remote agents may not take (the server's own agents)
     */
    public RemoteAgents(RemoteAgentsConfig config, Set<String> reserved) {
        this.config = Objects.requireNonNull(config, "config");
        this.reserved = Set.copyOf(reserved);
    }

    public RemoteAgentsConfig config() {
        return config;
    }

    @Override
    public Agent find(String name) {
        Registration r = byName.get(name);
        return r == null ? null : r.agent;
    }

    /** One text frame from {@code link}. */
    public void onText(AgentLink link, String text) {
        Registration current = byLink.get(link.id());
        switch (AgentWire.parse(text)) {
            case Inbound.Invalid bad -> link.send(Outbound.error(bad.code(), bad.field(), bad.message(), bad.runId(), bad.n()));
            case Inbound.Heartbeat h -> { }
            case Inbound.Register r -> register(link, current, r);
            case Inbound.OfRun m -> {
                if (current == null) {
                    link.send(Outbound.error(ErrorCode.NOT_REGISTERED, "type", "send register first", m.runId(), m.n()));
                } else {
                    current.deliver(m, link);
                }
            }
            default -> throw new IllegalStateException("not an agent message");
        }
    }

    private void register(AgentLink link, Registration current, Inbound.Register r) {
        if (current != null) {
            link.send(Outbound.error(ErrorCode.INVALID_MESSAGE, "type", "this connection is already registered as "
                    + current.name, null, null));
            return;
        }
        if (reserved.contains(r.name())) {
            link.send(Outbound.error(ErrorCode.AGENT_NAME_TAKEN, "name", r.name() + " is a built-in agent", null, null));
            return;
        }
        boolean[] claimed = {false};
        Registration reg = byName.compute(r.name(), (name, existing) -> {
            Registration candidate = existing == null ? new Registration(name, this, endedOfGone.remove(name)) : existing;
            claimed[0] = candidate.claim(link, r);
            if (!claimed[0] && existing != null && existing.isGone()) {
                candidate = new Registration(name, this, existing.ended());
                claimed[0] = candidate.claim(link, r);
            }
            return candidate;
        });
        if (!claimed[0]) {
            log.info("remote agent name {} refused for {}: in use", r.name(), link.id());
            link.send(Outbound.error(ErrorCode.AGENT_NAME_TAKEN, "name", "an agent named " + r.name()
                    + " is connected", null, null));
            return;
        }
        byLink.put(link.id(), reg);
    }

    /** {@code link} is gone; its agent's runs wait for it up to the grace period. */
    public void closed(AgentLink link) {
        Registration reg = byLink.remove(link.id());
        if (reg != null) reg.dropped(link);
    }

    /** Remote agents connected now (for metrics). */
    public int connected() {
        return (int) byName.values().stream().filter(Registration::connected).count();
    }

    /** The registered remote agents by name: {@code true} while connected, {@code false} while away (the console). */
    public java.util.SortedMap<String, Boolean> registered() {
        java.util.SortedMap<String, Boolean> out = new java.util.TreeMap<>();
        byName.forEach((name, r) -> out.put(name, r.connected()));
        return out;
    }

    /** Remote agents away within their grace period (for metrics). */
    public int away() {
        return byName.size() - connected();
    }

    void forget(Registration reg) {
        if (byName.remove(reg.name, reg)) endedOfGone.put(reg.name, reg.ended());
    }

    void schedule(Runnable task, Duration delay) {
        try {
            timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            log.debug("remote agents closed; not scheduling");
        }
    }

    /** Stops the grace timers (call after the runtime has ended the runs). */
    @Override
    public void close() {
        timers.shutdownNow();
    }
}
