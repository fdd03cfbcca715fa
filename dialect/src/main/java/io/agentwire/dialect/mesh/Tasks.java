package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.TextModel;
import io.agentwire.dialect.mesh.MeshDialect.Vocab;
import io.agentwire.dialect.mesh.RateLimits.Category;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks (durable in {@link MeshState}): create with requirements, priority, deadline and an assignment strategy —
 * {@code capability} (most required capabilities, then fewest open tasks), {@code workload} (fewest open tasks under
 * the per-agent cap), {@code role}, {@code llm} (the configured {@link TextModel} picks and says why; without one, or
 * when it fails, {@code capability} with the reason logged) — and the real scopes single / multiple / channel-wide;
 * assign, start, progress, complete (ack {@code {success, error?}}), fail, cancel. An assignee going offline hands its
 * open tasks to the next agent the strategy picks; a deadline passed fails the task with an event.
 */
final class Tasks {
    private static final Logger log = LoggerFactory.getLogger(Tasks.class);
    private static final Set<String> OPEN = Set.of("pending", "assigned", "in_progress");
    private static final Map<String, String> REAL_STRATEGIES = Map.of("expertise_driven", "capability",
            "workload_balanced", "workload", "role_based", "role", "intelligent", "llm", "manual", "manual");
    private static final List<String> STRATEGIES = List.of("capability", "workload", "role", "llm", "manual");
    private static final List<String> PRIORITIES = List.of("low", "normal", "medium", "high", "urgent");
    private final MeshDialect d;

    Tasks(MeshDialect d) {
        this.d = d;
    }

    void register() {
        d.on("task:create", "task", Category.NONE, Vocab.SPEC, this::create);
        d.on("task:create_request", "task", Category.NONE, Vocab.REAL, this::create);
        d.on("task:assign", "task", Category.NONE, Vocab.SPEC, this::assign);
        d.on("task:assign_request", "task", Category.NONE, Vocab.REAL, this::assign);
        d.on("task:start_request", "task", Category.NONE, Vocab.REAL, c -> transition(c, "in_progress", "task:started", "task:started"));
        d.on("task:progress", "task", Category.NONE, Vocab.SPEC, this::progress);
        d.on("task:update_request", "task", Category.NONE, Vocab.REAL, this::progress);
        d.on("task:complete", "task", Category.NONE, Vocab.SPEC, this::complete);
        d.on("task:complete_request", "task", Category.NONE, Vocab.REAL, this::complete);
        d.on("task:fail", "task", Category.NONE, Vocab.SPEC, c -> transition(c, "failed", "task:failed", "task:failed"));
        d.on("task:fail_request", "task", Category.NONE, Vocab.REAL, c -> transition(c, "failed", "task:failed", "task:failed"));
        d.on("task:cancel", "task", Category.NONE, Vocab.SPEC, c -> transition(c, "cancelled", "task:cancelled", "task:cancelled"));
        d.on("task:cancel_request", "task", Category.NONE, Vocab.REAL, c -> transition(c, "cancelled", "task:cancelled", "task:cancelled"));
    }

    void resume() { }

    // ---- create ----

    private void create(Call c) throws Refusal {
        JsonNode t = c.data.get("task");
        if (t == null || !t.isObject()) throw Refusal.invalid("task", "'task' must be an object");
        String ch = c.real ? Optional.ofNullable(Json.text(t, "channelId")).orElse(c.channelId()) : c.required("channelId");
        if (ch == null) throw Refusal.invalid("task.channelId", "'task.channelId' is required");
        String title = Json.text(t, c.real ? "title" : "name");
        if (title == null) title = Json.text(t, c.real ? "name" : "title");
        if (title == null || title.isBlank()) throw Refusal.invalid(c.real ? "task.title" : "task.name", "the task needs a name");
        String strategy = Optional.ofNullable(Json.text(t, "assignmentStrategy")).orElse(c.real ? "intelligent" : "capability");
        strategy = REAL_STRATEGIES.getOrDefault(strategy, strategy);
        if (!STRATEGIES.contains(strategy)) throw Refusal.invalid("task.assignmentStrategy", "'task.assignmentStrategy' must be capability, workload, llm or role");
        String priority = Optional.ofNullable(Json.text(t, "priority")).orElse(c.real ? "medium" : "normal");
        if (!PRIORITIES.contains(priority)) throw Refusal.invalid("task.priority", "'task.priority' must be low, normal (medium), high or urgent");
        String scope = Optional.ofNullable(Json.text(t, "assignmentScope")).orElse("single");
        if (!List.of("single", "multiple", "channel-wide").contains(scope)) throw Refusal.invalid("task.assignmentScope", "'task.assignmentScope' must be single, multiple or channel-wide");
        Long deadline = null;
        if (t.hasNonNull("deadline")) {
            try {
                deadline = t.get("deadline").isNumber() ? t.get("deadline").asLong() : Instant.parse(t.get("deadline").asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw Refusal.invalid("task.deadline", "'task.deadline' must be an ISO-8601 instant");
            }
        }
        d.channels.check(c.member, ch, false);
        List<String> requirements = Json.strings(t.has("requirements") ? t.get("requirements") : t.get("requiredCapabilities"));
        ObjectNode task = Json.obj().put("taskId", Optional.ofNullable(Json.text(c.data, "taskId")).orElse("task-" + UUID.randomUUID()))
                .put("channelId", ch).put("title", title).put("description", Optional.ofNullable(Json.text(t, "description")).orElse(""));
        task.set("requirements", Json.arr(requirements));
        String role = Json.text(t, "role") != null ? Json.text(t, "role") : Json.text(t.path("metadata"), "role");
        if (role != null) task.put("role", role);
        task.put("priority", priority).put("assignmentStrategy", strategy).put("assignmentScope", scope);
        if (deadline != null) task.put("deadline", Call.iso(deadline)).put("deadlineMs", deadline);
        task.set("metadata", t.path("metadata").isObject() ? t.get("metadata") : Json.obj());
        task.put("status", "pending").put("createdBy", c.member.home()).put("createdAt", Call.iso(c.now)).put("updatedAt", Call.iso(c.now));
        if (c.member.agentId() != null) task.put("fromAgentId", c.member.agentId());
        task.putArray("assignedTo");
        List<String> named = Json.strings(t.get("assignedAgentIds"));
        String creator = c.member.home();
        CompletableFuture<Choice> choice;
        if (scope.equals("multiple") || (!named.isEmpty() && scope.equals("single"))) {
            choice = CompletableFuture.completedFuture(new Choice(named, "named by the creator"));
        } else if (scope.equals("channel-wide")) {
            choice = CompletableFuture.completedFuture(new Choice(d.agents.online(ch).stream().map(a -> a.agentId).toList(), "channel-wide"));
        } else {
            choice = choose(task, Set.of());
        }
        choice.thenCompose(ch2 -> {
            task.set("assignedTo", Json.arr(ch2.agents()));
            task.put("assignmentReason", ch2.reason());
            if (!ch2.agents().isEmpty()) task.put("status", "assigned");
            return d.state.putTask(task).thenApply(x -> ch2);
        }).whenComplete((ch2, e) -> {
            if (e != null) {
                c.fail("task", Refusal.of("INTERNAL_ERROR", "the task could not be stored"));
                return;
            }
            ObjectNode spec = view(task);
            c.reply("task:created", spec, "task:created", realData(task, null));
            for (String a : ch2.agents()) assigned(task, a, ch2.reason(), creator);
        });
    }

    /** An assignment decision: the agents and why. */
    record Choice(List<String> agents, String reason) { }

    /** Picks the assignee of a single-scope task by its strategy, excluding some agents. */
    CompletableFuture<Choice> choose(ObjectNode task, Set<String> excluded) {
        List<Agents.Agent> candidates = new ArrayList<>(d.agents.online(task.path("channelId").asText()));
        candidates.removeIf(a -> excluded.contains(a.agentId));
        if (candidates.isEmpty()) return CompletableFuture.completedFuture(new Choice(List.of(), "no agent online in the channel"));
        String strategy = task.path("assignmentStrategy").asText();
        return switch (strategy) {
            case "workload" -> CompletableFuture.completedFuture(workload(candidates));
            case "role" -> CompletableFuture.completedFuture(role(task, candidates));
            case "llm" -> llm(task, candidates);
            default -> CompletableFuture.completedFuture(capability(task, candidates));
        };
    }

    private Choice capability(ObjectNode task, List<Agents.Agent> candidates) {
        Set<String> req = new LinkedHashSet<>(Json.strings(task.get("requirements")));
        Map<String, Long> open = openCounts();
        Agents.Agent best = candidates.stream().min(Comparator
                .comparingLong((Agents.Agent a) -> -a.capabilities.stream().filter(req::contains).count())
                .thenComparingLong(a -> open.getOrDefault(a.agentId, 0L))
                .thenComparing(a -> a.agentId)).orElseThrow();
        long score = best.capabilities.stream().filter(req::contains).count();
        return new Choice(List.of(best.agentId), "capability: matches " + score + " of " + req.size() + " requirements");
    }

    private Choice workload(List<Agents.Agent> candidates) {
        Map<String, Long> open = openCounts();
        int cap = d.settings.maxTasksPerAgent();
        Optional<Agents.Agent> best = candidates.stream().filter(a -> open.getOrDefault(a.agentId, 0L) < cap)
                .min(Comparator.comparingLong((Agents.Agent a) -> open.getOrDefault(a.agentId, 0L)).thenComparing(a -> a.agentId));
        return best.map(a -> new Choice(List.of(a.agentId), "workload: " + open.getOrDefault(a.agentId, 0L) + " open tasks"))
                .orElse(new Choice(List.of(), "workload: every agent has " + cap + " open tasks"));
    }

    private Choice role(ObjectNode task, List<Agents.Agent> candidates) {
        String role = Json.text(task, "role");
        Map<String, Long> open = openCounts();
        Optional<Agents.Agent> best = candidates.stream().filter(a -> role != null && role.equals(a.role))
                .min(Comparator.comparingLong((Agents.Agent a) -> open.getOrDefault(a.agentId, 0L)).thenComparing(a -> a.agentId));
        if (best.isPresent()) return new Choice(List.of(best.get().agentId), "role: " + role);
        Choice fallback = capability(task, candidates);
        return new Choice(fallback.agents(), "role: no online agent has role " + role + "; " + fallback.reason());
    }

    private CompletableFuture<Choice> llm(ObjectNode task, List<Agents.Agent> candidates) {
        Optional<TextModel> model = d.context.service(TextModel.class);
        if (model.isEmpty()) {
            Choice f = capability(task, candidates);
            log.info("mesh: task {}: llm assignment without a model configured; falling back to capability", task.path("taskId").asText());
            return CompletableFuture.completedFuture(new Choice(f.agents(), "llm: no model configured; " + f.reason()));
        }
        StringBuilder prompt = new StringBuilder("Task: ").append(task.path("title").asText()).append("\nDescription: ")
                .append(task.path("description").asText()).append("\nRequirements: ").append(task.path("requirements")).append("\nAgents:\n");
        for (Agents.Agent a : candidates) {
            prompt.append("- ").append(a.agentId).append(" role=").append(a.role).append(" capabilities=").append(a.capabilities).append('\n');
        }
        String system = "You assign a task to one agent. Answer with JSON only: {\"agentId\": \"…\", \"reason\": \"…\"}.";
        return model.get().complete(system, prompt.toString()).orTimeout(20, TimeUnit.SECONDS).handle((text, e) -> {
            if (e == null) {
                try {
                    if (text.indexOf('{') < 0 || text.lastIndexOf('}') < text.indexOf('{')) throw new IllegalArgumentException("the model answered no JSON");
                    String s = text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1);
                    JsonNode answer = Json.MAPPER.readTree(s);
                    String id = Json.text(answer, "agentId");
                    if (id != null && candidates.stream().anyMatch(a -> a.agentId.equals(id))) {
                        return new Choice(List.of(id), "llm: " + Optional.ofNullable(Json.text(answer, "reason")).orElse("chosen by the model"));
                    }
                    e = new IllegalArgumentException("the model named no candidate");
                } catch (Exception x) {
                    e = x;
                }
            }
            Choice f = capability(task, candidates);
            log.info("mesh: task {}: llm assignment failed ({}); falling back to capability", task.path("taskId").asText(), e.getMessage());
            return new Choice(f.agents(), "llm: model failed; " + f.reason());
        });
    }

    private Map<String, Long> openCounts() {
        Map<String, Long> open = new java.util.HashMap<>();
        for (ObjectNode t : d.state.tasks()) {
            if (!OPEN.contains(t.path("status").asText())) continue;
            for (String a : Json.strings(t.get("assignedTo"))) open.merge(a, 1L, Long::sum);
        }
        return open;
    }

    // ---- lifecycle ----

    private ObjectNode find(Call c) throws Refusal {
        String id = c.required("taskId");
        return d.state.task(id).orElseThrow(() -> Refusal.invalid("taskId", "no task " + id));
    }

    /** Only the creator or an assignee may act on a task. */
    private static void mayAct(Call c, ObjectNode task) throws Refusal {
        String home = c.member.home();
        String agent = c.member.agentId();
        boolean ok = home.equals(task.path("createdBy").asText()) || (agent != null && Json.strings(task.get("assignedTo")).contains(agent));
        if (!ok) throw Refusal.of("PERMISSION_DENIED", "only the creator or an assignee may change task " + task.path("taskId").asText());
    }

    private void assign(Call c) throws Refusal {
        ObjectNode task = find(c);
        mayAct(c, task);
        String agentId = c.real ? Optional.ofNullable(Json.text(c.data, "agentId")).orElse(Json.text(c.data, "toAgentId")) : c.required("agentId");
        if (agentId == null) throw Refusal.invalid("agentId", "'agentId' is required");
        if (d.agents.find(agentId).isEmpty()) throw Refusal.of("AGENT_NOT_FOUND", "no agent " + agentId);
        String reason = Optional.ofNullable(Json.text(c.data, "reason")).orElse("assigned manually");
        task.set("assignedTo", Json.arr(List.of(agentId)));
        task.put("status", "assigned").put("assignmentReason", reason).put("updatedAt", Call.iso(c.now));
        String by = c.member.home();
        d.state.putTask(task).thenRun(() -> {
            c.ok(view(task));
            assigned(task, agentId, reason, by);
        });
    }

    private void progress(Call c) throws Refusal {
        ObjectNode task = find(c);
        mayAct(c, task);
        JsonNode p = c.data.has("progress") ? c.data.get("progress") : c.data;
        if (!p.isObject()) throw Refusal.invalid("progress", "'progress' must be an object");
        String status = Json.text(p, "status");
        if (status != null && !List.of("pending", "in_progress", "completed", "failed").contains(status)) {
            throw Refusal.invalid("progress.status", "'progress.status' must be pending, in_progress, completed or failed");
        }
        JsonNode pct = p.get("percentage");
        if (pct != null && (!pct.isNumber() || pct.asDouble() < 0 || pct.asDouble() > 100)) {
            throw Refusal.invalid("progress.percentage", "'progress.percentage' must be a number 0..100");
        }
        if (!OPEN.contains(task.path("status").asText())) throw Refusal.invalid("taskId", "task " + task.path("taskId").asText() + " is " + task.path("status").asText());
        if (status != null) task.put("status", status);
        ObjectNode prog = Json.obj();
        if (pct != null) prog.set("percentage", pct);
        if (Json.text(p, "message") != null) prog.put("message", Json.text(p, "message"));
        task.set("progress", prog);
        task.put("updatedAt", Call.iso(c.now));
        d.state.putTask(task).thenRun(() -> {
            notify(task, "task:progress", "task:progress_updated", null);
            c.ok(view(task));
        });
    }

    private void complete(Call c) throws Refusal {
        ObjectNode task = find(c);
        mayAct(c, task);
        JsonNode result = c.data.get("result");
        if (result != null && !result.isObject()) throw Refusal.invalid("result", "'result' must be an object");
        if (!OPEN.contains(task.path("status").asText())) throw Refusal.invalid("taskId", "task " + task.path("taskId").asText() + " is already " + task.path("status").asText());
        boolean success = result == null || result.path("success").asBoolean(true);
        task.put("status", success ? "completed" : "failed").put("updatedAt", Call.iso(c.now));
        if (result != null) task.set("result", result);
        d.state.putTask(task).thenRun(() -> {
            notify(task, success ? "task:completed" : "task:failed", success ? "task:completed" : "task:failed", null);
            if (c.ack.requested()) c.ack.send(Json.obj().put("success", true));
        });
    }

    private void transition(Call c, String status, String specEvent, String realEvent) throws Refusal {
        ObjectNode task = find(c);
        mayAct(c, task);
        if (!OPEN.contains(task.path("status").asText())) throw Refusal.invalid("taskId", "task " + task.path("taskId").asText() + " is already " + task.path("status").asText());
        task.put("status", status).put("updatedAt", Call.iso(c.now));
        String error = Json.text(c.data, "error") != null ? Json.text(c.data, "error") : Json.text(c.data, "reason");
        if (error != null) task.put("error", error);
        d.state.putTask(task).thenRun(() -> {
            notify(task, specEvent, realEvent, null);
            c.ok(view(task));
        });
    }

    /** The assignee's last socket left: its open single-scope tasks go to the next agent the strategy picks. */
    void agentOffline(String agentId) {
        for (ObjectNode task : d.state.tasks()) {
            if (!OPEN.contains(task.path("status").asText()) || !task.path("assignmentScope").asText("single").equals("single")) continue;
            if (!Json.strings(task.get("assignedTo")).contains(agentId)) continue;
            choose(task, Set.of(agentId)).thenCompose(choice -> {
                task.set("assignedTo", Json.arr(choice.agents()));
                task.put("status", choice.agents().isEmpty() ? "pending" : "assigned")
                        .put("assignmentReason", "reassigned: " + agentId + " went offline; " + choice.reason())
                        .put("updatedAt", Call.iso(d.now()));
                return d.state.putTask(task).thenApply(x -> choice);
            }).thenAccept(choice -> {
                for (String a : choice.agents()) assigned(task, a, task.path("assignmentReason").asText(), task.path("createdBy").asText());
                if (choice.agents().isEmpty()) notify(task, "task:unassigned", "task:unassigned", null);
            });
        }
    }

    /** Open tasks whose deadline passed fail, with an event to their creator and assignees. */
    void expire(long now) {
        for (ObjectNode task : d.state.tasks()) {
            if (!OPEN.contains(task.path("status").asText()) || !task.has("deadlineMs") || task.path("deadlineMs").asLong() > now) continue;
            task.put("status", "failed").put("error", "deadline exceeded").put("updatedAt", Call.iso(now));
            d.state.putTask(task).thenRun(() -> notify(task, "task:expired", "task:failed", null));
        }
    }

    // ---- events ----

    private void assigned(ObjectNode task, String agentId, String reason, String by) {
        ObjectNode spec = view(task).put("assignedTo", agentId).put("reason", reason);
        List<String> rooms = new ArrayList<>(List.of("ag:" + agentId));
        if (!by.equals("ag:" + agentId)) rooms.add(by);
        d.deliveries.to(rooms, "task:assigned", spec, "task:assigned",
                Call.envelope("task:assigned", agentId, task.path("channelId").asText(), realData(task, agentId), d.now()));
    }

    /** To the creator and the assignees. */
    private void notify(ObjectNode task, String specEvent, String realEvent, String agentId) {
        Set<String> rooms = new LinkedHashSet<>();
        rooms.add(task.path("createdBy").asText());
        for (String a : Json.strings(task.get("assignedTo"))) rooms.add("ag:" + a);
        d.deliveries.to(List.copyOf(rooms), specEvent, view(task), realEvent,
                Call.envelope(realEvent, agentId, task.path("channelId").asText(), realData(task, agentId), d.now()));
    }

    /** The document's task: {taskId, name, assignedTo (the first assignee), …}. */
    static ObjectNode view(ObjectNode task) {
        ObjectNode v = task.deepCopy();
        v.remove("deadlineMs");
        v.put("name", task.path("title").asText());
        List<String> a = Json.strings(task.get("assignedTo"));
        v.set("assignedAgentIds", Json.arr(a));
        if (a.isEmpty()) v.putNull("assignedTo"); else v.put("assignedTo", a.get(0));
        return v;
    }

    /** The real {taskId, fromAgentId, toAgentId, task}. */
    private static ObjectNode realData(ObjectNode task, String toAgent) {
        ObjectNode r = Json.obj().put("taskId", task.path("taskId").asText());
        r.put("fromAgentId", task.path("fromAgentId").asText(task.path("createdBy").asText()));
        List<String> a = Json.strings(task.get("assignedTo"));
        String to = toAgent != null ? toAgent : a.isEmpty() ? null : a.get(0);
        if (to == null) r.putNull("toAgentId"); else r.put("toAgentId", to);
        ObjectNode t = task.deepCopy();
        t.remove("deadlineMs");
        t.set("assignedAgentIds", Json.arr(a));
        r.set("task", t);
        return r;
    }
}
