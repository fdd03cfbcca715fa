package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.TextModel;
import io.agentwire.core.TextModels;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ORPAR control loops run on the server with the configured model (the core {@link TextModel} port). An agent
 * starts one ({@code control_loop:init}, real {@code controlLoop:initialize}); its observations queue
 * ({@code control_loop:observation}); a cycle takes up to {@link #BATCH} of them and runs reasoning, planning (the
 * model answers actions as tool calls, executed through {@link Tools}) and reflection, each phase's event sent to
 * the owning socket in the vocabulary the loop was started in. Cycles are at least {@code cycleInterval} apart and
 * count against the control-loop rate limit (a cycle over the limit waits); a loop stops after {@code maxCycles}, 3
 * consecutive errors, or on {@code control_loop:stop} — in-flight model and tool calls are cancelled. When its socket
 * goes it pauses for {@code agentwire.mesh.control-loops.owner-grace} and resumes when the agent is back, else stops.
 * Each phase may name its model ({@code reasoningModel}, {@code planningModel}, {@code reflectionModel}: the core
 * {@link TextModels}); the others use the server's model. Without a model a loop refuses to start.
 */
final class Loops {
    private static final Logger log = LoggerFactory.getLogger(Loops.class);
    static final int BATCH = 10;
    static final int MAX_QUEUE = 100;
    static final int MAX_ACTIONS = 5;
    static final int MAX_ERRORS = 3;
    static final long MODEL_TIMEOUT_MS = 60_000;
    static final long TOOL_TIMEOUT_MS = 30_000;

    static final String REASONING_SYSTEM = "You are the reasoning phase of an agent's Observe-Reason-Plan-Act-Reflect loop. "
            + "Given the new observations, explain briefly what is happening and what matters for the agent's goal.";
    static final String PLANNING_SYSTEM = "You are the planning phase of an agent's control loop. Given the reasoning and the "
            + "tools available, answer with JSON only: {\"plan\": \"…\", \"actions\": [{\"tool\": \"<tool name>\", "
            + "\"arguments\": {…}, \"description\": \"…\"}]} (at most " + MAX_ACTIONS + " actions; [] when nothing is to be done).";
    static final String REFLECTION_SYSTEM = "You are the reflection phase of an agent's control loop. Given the reasoning, "
            + "the plan and the actions' results, say briefly what worked, what did not and what to do differently.";

    private final MeshDialect d;
    static final List<String> PHASES = List.of("reasoning", "planning", "reflection");
    static final int MAX_HELD = 16;

    private final Map<String, Loop> loops = new ConcurrentHashMap<>();
    private final Map<String, List<Loop>> expired = new ConcurrentHashMap<>(); // by owner: stops it has not heard of

    Loops(MeshDialect d) {
        this.d = d;
    }

    void register() {
        for (String e : List.of("control_loop:init", "controlLoop:initialize")) {
            d.on(e, "control_loop", RateLimits.Category.NONE, e.startsWith("controlLoop") ? MeshDialect.Vocab.REAL : MeshDialect.Vocab.EITHER, this::init);
        }
        for (String e : List.of("control_loop:observation", "controlLoop:observation")) {
            d.on(e, "control_loop", RateLimits.Category.NONE, e.startsWith("controlLoop") ? MeshDialect.Vocab.REAL : MeshDialect.Vocab.EITHER, this::observe);
        }
        for (String e : List.of("control_loop:stop", "controlLoop:stop")) {
            d.on(e, "control_loop", RateLimits.Category.NONE, e.startsWith("controlLoop") ? MeshDialect.Vocab.REAL : MeshDialect.Vocab.EITHER, this::stopRequest);
        }
    }

    int count() {
        return loops.size();
    }

    /** One loop: its owner socket, configuration, queue and the cycle in flight. */
    private final class Loop {
        final String loopId = "loop-" + UUID.randomUUID();
        volatile Member owner;
        final boolean real;
        final String channelId;
        final long interval;
        final int maxCycles;
        final ObjectNode config;
        final TextModel model;
        final Map<String, TextModel> phaseModels; // reasoning / planning / reflection -> a named model
        final ArrayDeque<JsonNode> queue = new ArrayDeque<>();
        final List<CompletableFuture<?>> inFlight = new ArrayList<>();
        int cycles;
        int errors;
        long lastStart = Long.MIN_VALUE / 2;
        boolean running;
        volatile boolean stopped;
        volatile boolean paused; // the owner left: no cycle until it returns (or the grace ends)
        volatile int pauses; // a cycle started before the last pause is abandoned
        ScheduledFuture<?> next;
        ScheduledFuture<?> expiry;

        Loop(Member owner, boolean real, String channelId, long interval, int maxCycles, ObjectNode config, TextModel model,
             Map<String, TextModel> phaseModels) {
            this.owner = owner;
            this.real = real;
            this.channelId = channelId;
            this.interval = interval;
            this.maxCycles = maxCycles;
            this.config = config;
            this.model = model;
            this.phaseModels = phaseModels;
        }

        /** Sends a phase's event: the document's name and payload, or the real name in the envelope. */
        void emit(String specSuffix, String realName, ObjectNode payload) {
            if (real) {
                ObjectNode data = payload.deepCopy().put("loopId", loopId);
                owner.socket.emit(realName, Call.envelope(realName, owner.agentId(), channelId, data, d.now()));
            } else {
                owner.socket.emit("control_loop:" + specSuffix, payload.deepCopy().put("controlLoopId", loopId).put("loopId", loopId));
            }
        }

        synchronized <T> CompletableFuture<T> track(CompletableFuture<T> f) {
            if (stopped) f.cancel(true);
            inFlight.add(f);
            f.whenComplete((x, e) -> {
                synchronized (Loop.this) {
                    inFlight.remove(f);
                }
            });
            return f;
        }

        /** Schedules the next cycle when observations wait and none runs: at least {@code interval} after the last. */
        synchronized void kick() {
            if (stopped || paused || running || queue.isEmpty() || (next != null && !next.isDone())) return;
            long delay = Math.max(0, lastStart + interval - d.now());
            next = d.timer().schedule(this::cycle, delay, TimeUnit.MILLISECONDS);
        }

        void cycle() {
            List<JsonNode> batch = new ArrayList<>();
            int n;
            int gen;
            synchronized (this) {
                if (stopped || paused || running || queue.isEmpty()) return;
                long wait = d.limits.take(owner.subject(), RateLimits.Category.CONTROL_LOOP_CYCLES, d.now());
                if (wait > 0) { // over the cycle limit: this cycle waits
                    next = d.timer().schedule(this::cycle, wait, TimeUnit.MILLISECONDS);
                    return;
                }
                running = true;
                lastStart = d.now();
                n = ++cycles;
                gen = pauses;
                while (!queue.isEmpty() && batch.size() < BATCH) batch.add(queue.pollFirst());
            }
            ArrayNode observations = Json.MAPPER.createArrayNode();
            batch.forEach(observations::add);
            emit("observation:processed", "controlLoop:observation", Json.obj().put("cycle", n).put("status", "observed")
                    .put("count", batch.size()).set("observations", observations));
            runCycle(n, gen, observations).whenComplete((x, e) -> finished(n, gen, batch, e));
        }

        /** Whether the cycle of generation {@code gen} is to be dropped: the loop stopped, or paused since it began. */
        boolean abandoned(int gen) {
            return stopped || paused || gen != pauses;
        }

        private CompletableFuture<Void> runCycle(int n, int gen, ArrayNode observations) {
            String[] phase = {"reasoning"};
            return ask(gen, "reasoning", REASONING_SYSTEM, "Observations (JSON):\n" + observations.toPrettyString()).thenCompose(reasoning -> {
                emit("reasoning:complete", "controlLoop:reasoning", Json.obj().put("cycle", n).put("status", "reasoned")
                        .put("reasoning", reasoning));
                phase[0] = "planning";
                return ask(gen, "planning", PLANNING_SYSTEM, "Reasoning:\n" + reasoning + "\n\nTools (JSON):\n" + toolList()).thenCompose(planText -> {
                    ObjectNode plan = parsePlan(planText);
                    emit("action:planned", "controlLoop:plan", Json.obj().put("cycle", n).put("status", "planned")
                            .put("plan", plan.path("plan").asText("")).set("actions", plan.get("actions")));
                    phase[0] = "action";
                    return act(n, gen, (ArrayNode) plan.get("actions"), 0, Json.MAPPER.createArrayNode()).thenCompose(results -> {
                        phase[0] = "reflection";
                        return ask(gen, "reflection", REFLECTION_SYSTEM, "Reasoning:\n" + reasoning + "\n\nPlan:\n" + plan.toPrettyString()
                                + "\n\nResults:\n" + results.toPrettyString()).thenAccept(reflection ->
                                emit("reflection:complete", "controlLoop:reflection", Json.obj().put("cycle", n)
                                        .put("status", "reflected").put("reflection", reflection)));
                    });
                });
            }).exceptionallyCompose(e -> {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                return CompletableFuture.failedFuture(new PhaseFailure(phase[0], c));
            });
        }

        /** The plan's actions one after the other; a refused or failed action is a result, not a loop error. */
        private CompletableFuture<ArrayNode> act(int n, int gen, ArrayNode actions, int i, ArrayNode results) {
            if (i >= actions.size() || abandoned(gen)) return CompletableFuture.completedFuture(results);
            JsonNode a = actions.get(i);
            String tool = a.path("tool").asText("");
            JsonNode args = a.path("arguments").isObject() ? a.get("arguments") : Json.obj();
            CompletableFuture<Tools.Outcome> run;
            try {
                d.tools.allowed(owner, tool);
                run = track(d.tools.execute(owner.subject(), tool, args, TOOL_TIMEOUT_MS, 0));
            } catch (Refusal r) {
                run = CompletableFuture.failedFuture(r);
            }
            return run.handle((o, e) -> {
                if (abandoned(gen)) return CompletableFuture.completedFuture(results); // cancelled: nothing more is said
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                ObjectNode r = Json.obj().put("tool", tool);
                r.put("success", c == null && o.success());
                if (c == null) r.set("output", o.output());
                if (c != null || !o.success()) r.put("error", c == null ? o.error() : c.getMessage());
                results.add(r);
                ObjectNode ev = Json.obj().put("cycle", n).put("status", r.path("success").asBoolean() ? "completed" : "failed")
                        .put("completed", i + 1).put("total", actions.size());
                ev.set("action", a);
                ev.set("result", r);
                emit("progress:update", "controlLoop:execution", ev);
                return act(n, gen, actions, i + 1, results);
            }).thenCompose(f -> f);
        }

        /** Asks the phase's model (a named one from the loop's config, else the server's). */
        private CompletableFuture<String> ask(int gen, String phase, String system, String prompt) {
            if (abandoned(gen)) return CompletableFuture.failedFuture(new CancellationException("loop stopped or paused"));
            TextModel m = phaseModels.getOrDefault(phase, model);
            return track(m.complete(system, prompt).orTimeout(MODEL_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }

        private void finished(int n, int gen, List<JsonNode> batch, Throwable e) {
            boolean stop = false;
            String reason = null;
            synchronized (this) {
                running = false;
                if (stopped) return;
                if (abandoned(gen)) { // the owner left during it: it does not count, its observations wait for the return
                    cycles--;
                    for (int i = batch.size() - 1; i >= 0; i--) queue.addFirst(batch.get(i));
                } else if (e != null) {
                    errors++;
                    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    String phase = c instanceof PhaseFailure p ? p.phase : "cycle";
                    Throwable cause = c instanceof PhaseFailure p ? p.getCause() : c;
                    log.info("mesh: loop {} cycle {} failed in {}: {}", loopId, n, phase, cause.toString());
                    emit("error", "controlLoop:error", Json.obj().put("cycle", n).put("status", "error").put("phase", phase)
                            .put("error", String.valueOf(cause.getMessage())).put("consecutiveErrors", errors));
                    if (errors >= MAX_ERRORS) { stop = true; reason = "errors"; }
                } else {
                    errors = 0;
                }
                if (!stop && maxCycles > 0 && cycles >= maxCycles) { stop = true; reason = "maxCycles"; }
            }
            if (stop) stop(this, reason); else kick();
        }
    }

    /** A phase's failure: which phase, and why. */
    private static final class PhaseFailure extends RuntimeException {
        final String phase;

        PhaseFailure(String phase, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.phase = phase;
        }
    }

    private String toolList() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Tools.Tool t : d.tools.all()) {
            a.add(Json.obj().put("name", t.name()).put("description", t.description()).set("inputSchema", t.inputSchema()));
        }
        return a.toString();
    }

    /** The planning answer's JSON object ({@code plan}, {@code actions} ≤ MAX_ACTIONS); no JSON is a phase error. */
    static ObjectNode parsePlan(String text) {
        int from = text.indexOf('{');
        int to = text.lastIndexOf('}');
        if (from < 0 || to < from) throw new IllegalArgumentException("the planning answer holds no JSON object");
        JsonNode p;
        try {
            p = Json.MAPPER.readTree(text.substring(from, to + 1));
        } catch (Exception e) {
            throw new IllegalArgumentException("the planning answer is not JSON: " + e.getMessage());
        }
        ObjectNode out = Json.obj().put("plan", p.path("plan").asText(""));
        ArrayNode actions = out.putArray("actions");
        for (JsonNode a : p.path("actions")) if (a.isObject() && a.path("tool").isTextual() && actions.size() < MAX_ACTIONS) actions.add(a);
        return out;
    }

    // ---- events ----

    private void init(Call c) throws Refusal {
        Member m = c.member;
        if (m.agentId() == null) throw Refusal.of("PERMISSION_DENIED", "only an agent can run a control loop (agent:register first)");
        String agentId = Json.text(c.data, "agentId");
        if (agentId != null && !agentId.equals(m.agentId())) throw Refusal.of("PERMISSION_DENIED", "a loop belongs to the agent that starts it");
        JsonNode cfg = c.data.path("config").isObject() ? c.data.get("config") : c.data;
        Map<String, TextModel> phaseModels = phaseModels(cfg);
        Optional<TextModel> model = d.context.service(TextModel.class);
        if (model.isEmpty() && phaseModels.size() < PHASES.size()) {
            throw Refusal.of("INTERNAL_ERROR", "control loops need a model and none is configured on this server (agentwire.model)");
        }
        long interval = 1_000;
        if (cfg.has("cycleInterval")) {
            if (!cfg.get("cycleInterval").isIntegralNumber() || cfg.get("cycleInterval").asLong() < 100 || cfg.get("cycleInterval").asLong() > 3_600_000) {
                throw Refusal.invalid("config.cycleInterval", "'config.cycleInterval' must be milliseconds between 100 and 3600000");
            }
            interval = cfg.get("cycleInterval").asLong();
        }
        int maxCycles = 0;
        if (cfg.has("maxCycles")) {
            if (!cfg.get("maxCycles").isIntegralNumber() || cfg.get("maxCycles").asInt() < 0) {
                throw Refusal.invalid("config.maxCycles", "'config.maxCycles' must be a non-negative integer (0: unbounded)");
            }
            maxCycles = cfg.get("maxCycles").asInt();
        }
        ObjectNode config = Json.obj().put("cycleInterval", interval).put("maxCycles", maxCycles);
        for (String k : List.of("observationModel", "reasoningModel", "planningModel", "reflectionModel")) {
            if (Json.text(cfg, k) != null) config.put(k, Json.text(cfg, k));
        }
        Loop loop = new Loop(m, c.real, c.channelId() != null ? c.channelId() : m.boundChannel, interval, maxCycles, config,
                model.orElse(null), phaseModels);
        loops.put(loop.loopId, loop);
        m.socket.onDisconnect(reason -> ownerLeft(loop, m));
        ObjectNode answer = Json.obj().put("loopId", loop.loopId).put("controlLoopId", loop.loopId).put("status", "running");
        answer.set("config", config);
        c.reply("control_loop:initialized", answer, "controlLoop:initialized", answer);
        loop.emit("started", "controlLoop:started", Json.obj().put("status", "running"));
    }

    /** The phases' named models ({@code reasoningModel}, … in the config) from the server's {@link TextModels}. */
    private Map<String, TextModel> phaseModels(JsonNode cfg) throws Refusal {
        Map<String, TextModel> out = new HashMap<>();
        Optional<TextModels> named = d.context.service(TextModels.class);
        for (String phase : PHASES) {
            String key = phase + "Model";
            if (!cfg.has(key)) continue;
            String name = Json.text(cfg, key);
            Optional<TextModel> m = name == null ? Optional.empty() : named.flatMap(n -> n.named(name));
            if (m.isEmpty()) {
                throw Refusal.invalid("config." + key, "'config." + key + "' must name a model configured on this server (agentwire.models): "
                        + named.map(n -> n.names().isEmpty() ? "none is" : String.join(", ", new TreeSet<>(n.names()))).orElse("none is"));
            }
            out.put(phase, m.get());
        }
        return out;
    }

    /**
     * The owner's socket went: with a grace period the loop pauses (the cycle in flight is abandoned, its model and
     * tool calls cancelled, its observations kept) until the agent returns ({@link #ownerReturned}) or the grace ends.
     */
    private void ownerLeft(Loop loop, Member m) {
        long grace = d.settings.loopOwnerGrace().toMillis();
        if (grace == 0) {
            if (loop.owner == m) stop(loop, "owner disconnected");
            return;
        }
        List<CompletableFuture<?>> cancel;
        synchronized (loop) {
            if (loop.stopped || loop.paused || loop.owner != m) return;
            loop.paused = true;
            loop.pauses++;
            if (loop.next != null) loop.next.cancel(false);
            cancel = List.copyOf(loop.inFlight);
            try {
                loop.expiry = d.timer().schedule(() -> expire(loop), grace, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
        }
        cancel.forEach(f -> f.cancel(true));
        log.debug("mesh: loop {} paused: agent {} left (grace {} ms)", loop.loopId, m.agentId(), grace);
    }

    /** The grace ended without the owner: the loop stops; its agent hears it now on another socket, or on its return. */
    private void expire(Loop loop) {
        synchronized (loop) {
            if (!loop.paused || loop.stopped) return;
        }
        stop(loop, "owner did not return");
        for (Member other : d.members()) {
            if (other.socket.connected() && loop.owner.subject().equals(other.subject())) {
                loop.owner = other;
                emitStopped(loop, "owner did not return");
                return;
            }
        }
        List<Loop> held = expired.computeIfAbsent(loop.owner.subject(), k -> new ArrayList<>());
        synchronized (held) {
            if (held.size() >= MAX_HELD) held.remove(0);
            held.add(loop);
        }
    }

    /**
     * An agent (re)identified on a socket: its paused loops resume there ({@code control_loop:resumed}, then the
     * waiting observations), and it hears of those that stopped while it was away.
     */
    void ownerReturned(Member m) {
        if (m.agentId() == null) return;
        for (Loop loop : loops.values()) {
            synchronized (loop) {
                if (!loop.paused || loop.stopped || !loop.owner.subject().equals(m.subject())) continue;
                loop.owner = m;
                loop.paused = false;
                if (loop.expiry != null) loop.expiry.cancel(false);
            }
            m.socket.onDisconnect(reason -> ownerLeft(loop, m));
            log.debug("mesh: loop {} resumed: agent {} is back", loop.loopId, m.agentId());
            loop.emit("resumed", "controlLoop:resumed", Json.obj().put("status", "running").put("cycles", loop.cycles));
            loop.kick();
        }
        List<Loop> held = expired.remove(m.subject());
        if (held == null) return;
        synchronized (held) {
            for (Loop loop : held) {
                loop.owner = m;
                emitStopped(loop, "owner did not return");
            }
        }
    }

    private Loop owned(Call c) throws Refusal {
        String id = Json.text(c.data, "controlLoopId") != null ? Json.text(c.data, "controlLoopId") : Json.text(c.data, "loopId");
        if (id == null) throw Refusal.invalid("controlLoopId", "'controlLoopId' (or 'loopId') is required");
        Loop loop = loops.get(id);
        if (loop == null) throw Refusal.invalid("controlLoopId", "no running control loop " + id);
        if (!loop.owner.subject().equals(c.member.subject())) throw Refusal.of("PERMISSION_DENIED", "control loop " + id + " belongs to another agent");
        return loop;
    }

    private void observe(Call c) throws Refusal {
        Loop loop = owned(c);
        JsonNode o = c.data.get("observation");
        if (o == null || !o.isObject()) throw Refusal.invalid("observation", "'observation' must be an object {type, data, source}");
        int queued;
        synchronized (loop) {
            if (loop.queue.size() >= MAX_QUEUE) {
                throw new Refusal("RATE_LIMITED", "control loop " + loop.loopId + " has " + MAX_QUEUE + " observations waiting",
                        Json.obj().put("category", "control_loop_observations").put("limit", MAX_QUEUE));
            }
            ObjectNode copy = o.deepCopy();
            if (!copy.has("timestamp")) copy.put("timestamp", Call.iso(c.now));
            loop.queue.addLast(copy);
            queued = loop.queue.size();
        }
        c.ok(Json.obj().put("loopId", loop.loopId).put("queued", queued));
        loop.kick();
    }

    private void stopRequest(Call c) throws Refusal {
        Loop loop = owned(c);
        stop(loop, "requested");
        c.ok(Json.obj().put("loopId", loop.loopId).put("status", "stopped").put("cycles", loop.cycles));
    }

    /** Stops a loop once: no further cycle, in-flight model and tool calls cancelled, {@code stopped} to the owner. */
    private void stop(Loop loop, String reason) {
        List<CompletableFuture<?>> cancel;
        synchronized (loop) {
            if (loop.stopped) return;
            loop.stopped = true;
            if (loop.next != null) loop.next.cancel(false);
            cancel = List.copyOf(loop.inFlight);
        }
        loops.remove(loop.loopId);
        cancel.forEach(f -> f.cancel(true));
        if (loop.expiry != null) loop.expiry.cancel(false);
        if (loop.owner.socket.connected()) emitStopped(loop, reason);
        log.debug("mesh: loop {} stopped ({}) after {} cycles", loop.loopId, reason, loop.cycles);
    }

    private static void emitStopped(Loop loop, String reason) {
        loop.emit("stopped", "controlLoop:stopped", Json.obj().put("status", "stopped").put("reason", reason).put("cycles", loop.cycles));
    }
}
