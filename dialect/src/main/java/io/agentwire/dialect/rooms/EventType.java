package io.agentwire.dialect.rooms;

import static io.agentwire.dialect.rooms.Field.id;
import static io.agentwire.dialect.rooms.Field.number;
import static io.agentwire.dialect.rooms.Field.oneOf;
import static io.agentwire.dialect.rooms.Field.optionalArray;
import static io.agentwire.dialect.rooms.Field.optionalId;
import static io.agentwire.dialect.rooms.Field.optionalInteger;
import static io.agentwire.dialect.rooms.Field.optionalNumber;
import static io.agentwire.dialect.rooms.Field.optionalObject;
import static io.agentwire.dialect.rooms.Field.optionalOneOf;
import static io.agentwire.dialect.rooms.Field.optionalStrings;
import static io.agentwire.dialect.rooms.Field.optionalText;
import static io.agentwire.dialect.rooms.Field.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every server event of spec 004 ("Server Events"): its name, the {@code source} its examples show, the fields of
 * its {@code data} that are checked (required ids, the documented status / priority / severity / category / target
 * type values, number ranges) and the rooms it is delivered to (each event's "Room:" line). Events the document
 * names without a payload or a room (e.g. {@code agent.connected}, {@code workflow.started}, {@code issue.created})
 * follow their documented sibling of the same section; docs/rooms.md lists the whole table.
 */
public enum EventType {
    PROJECT_UPDATED("project.updated", Source.PROJECT, List.of(Route.project("project_id"), Route.user("updated_by")),
            id("project_id"), id("updated_by"), optionalText("project_name"), optionalText("repository_url"),
            optionalText("status"), optionalObject("changes")),
    PROJECT_DELETED("project.deleted", Source.PROJECT, List.of(Route.project("project_id"), Route.user("deleted_by")),
            id("project_id"), id("deleted_by")),

    AGENT_STATUS_CHANGED("agent.status_changed", Source.AGENT, Route.AGENT_AND_GLOBAL,
            id("agent_id"), oneOf("status", Values.AGENT_STATUS), optionalText("agent_name"),
            optionalNumber("availability", 0, 100), optionalObject("metadata")),
    AGENT_CONNECTED("agent.connected", Source.AGENT, Route.AGENT_AND_GLOBAL,
            id("agent_id"), optionalOneOf("status", Values.AGENT_STATUS), optionalText("agent_name"),
            optionalNumber("availability", 0, 100), optionalObject("metadata")),
    AGENT_DISCONNECTED("agent.disconnected", Source.AGENT, Route.AGENT_AND_GLOBAL,
            id("agent_id"), optionalOneOf("status", Values.AGENT_STATUS), optionalText("agent_name"),
            optionalNumber("availability", 0, 100), optionalObject("metadata")),

    WORKFLOW_PROGRESS("workflow.progress", Source.WORKFLOW, Route.PROJECT_OR_GLOBAL,
            withWorkflow(oneOf("status", Values.WORKFLOW_STATUS), number("progress", 0, 100))),
    WORKFLOW_STARTED("workflow.started", Source.WORKFLOW, Route.PROJECT_OR_GLOBAL, withWorkflow()),
    WORKFLOW_COMPLETED("workflow.completed", Source.WORKFLOW, Route.PROJECT_OR_GLOBAL, withWorkflow()),
    WORKFLOW_FAILED("workflow.failed", Source.WORKFLOW, Route.PROJECT_OR_GLOBAL, withWorkflow()),

    PR_CREATED("pr.created", Source.GITHUB, Route.PROJECT,
            id("pr_id"), id("project_id"), text("title"), optionalText("description"), optionalText("author"),
            optionalText("branch"), optionalText("github_url"), optionalText("status"), optionalText("created_at")),
    PR_UPDATED("pr.updated", Source.GITHUB, Route.PROJECT,
            id("pr_id"), id("project_id"), optionalText("title"), optionalText("status")),
    PR_CLOSED("pr.closed", Source.GITHUB, Route.PROJECT,
            id("pr_id"), id("project_id"), optionalText("title"), optionalText("status")),

    ISSUE_CREATED("issue.created", Source.GITHUB, Route.PROJECT_AND_ASSIGNEE, issue()),
    ISSUE_UPDATED("issue.updated", Source.GITHUB, Route.PROJECT_AND_ASSIGNEE, issue()),
    ISSUE_CLOSED("issue.closed", Source.GITHUB, Route.PROJECT_AND_ASSIGNEE, issue()),

    AI_SUGGESTION("ai.suggestion", Source.AI, Route.PROJECT_OR_GLOBAL,
            id("suggestion_id"), oneOf("target_type", Values.TARGET_TYPE), optionalId("target_id"),
            oneOf("category", Values.CATEGORY), text("title"), optionalText("description"),
            oneOf("severity", Values.SEVERITY), optionalNumber("confidence", 0, 1), optionalText("suggested_action"),
            optionalObject("metadata"), optionalId("project_id")),
    AI_ANALYSIS_COMPLETE("ai.analysis_complete", Source.AI, Route.PROJECT_OR_GLOBAL,
            optionalId("analysis_id"), optionalOneOf("target_type", Values.TARGET_TYPE), optionalId("target_id"),
            optionalOneOf("severity", Values.SEVERITY), optionalObject("metadata"), optionalId("project_id"));

    private static final Map<String, EventType> BY_NAME =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final String source;
    private final List<Route> routes;
    private final List<Field> fields;

    EventType(String wireName, String source, List<Route> routes, Field... fields) {
        this.wireName = wireName;
        this.source = source;
        this.routes = routes;
        this.fields = List.of(fields);
    }

    /** The event's name: the Socket.IO event name and the payload's {@code type}. */
    public String wireName() {
        return wireName;
    }

    /** The {@code source} used when the publisher names none (the one the document's example shows). */
    public String defaultSource() {
        return source;
    }

    /** The type named {@code name}, or null. */
    public static EventType of(String name) {
        return BY_NAME.get(name);
    }

    /** Checks {@code data} (a JSON object) against the documented fields; the exception names the first bad one. */
    void check(JsonNode data) {
        for (Field f : fields) f.check(data);
    }

    /** The rooms an event of this type with {@code data} (already checked) is delivered to, without duplicates. */
    List<RoomName> rooms(JsonNode data) {
        Set<RoomName> out = new LinkedHashSet<>();
        for (Route r : routes) r.addTo(data, out);
        return List.copyOf(out);
    }

    private static Field[] withWorkflow(Field... more) {
        List<Field> all = new ArrayList<>(List.of(id("workflow_id")));
        List<String> named = Stream.of(more).map(Field::name).toList();
        all.addAll(List.of(more));
        if (!named.contains("status")) all.add(optionalOneOf("status", Values.WORKFLOW_STATUS));
        if (!named.contains("progress")) all.add(optionalNumber("progress", 0, 100));
        all.addAll(List.of(optionalId("project_id"), optionalText("current_step"),
                optionalInteger("total_steps", 0, Double.POSITIVE_INFINITY),
                optionalNumber("estimated_time_remaining", 0, Double.POSITIVE_INFINITY),
                optionalStrings("logs"), optionalArray("errors")));
        return all.toArray(Field[]::new);
    }

    private static Field[] issue() {
        return new Field[] {id("issue_id"), id("project_id"), optionalText("title"), optionalText("description"),
                optionalOneOf("status", Values.ISSUE_STATUS), optionalOneOf("priority", Values.PRIORITY),
                optionalId("assigned_to"), optionalText("updated_at")};
    }

    /** The documented value sets. */
    static final class Values {
        static final String[] AGENT_STATUS = {"online", "offline", "busy", "idle", "error"};
        static final String[] WORKFLOW_STATUS = {"pending", "running", "completed", "failed", "cancelled"};
        static final String[] ISSUE_STATUS = {"open", "in_progress", "closed", "blocked"};
        static final String[] PRIORITY = {"low", "medium", "high", "critical"};
        static final String[] TARGET_TYPE = {"issue", "pr", "code"};
        static final String[] CATEGORY = {"optimization", "refactor", "bug_fix", "security", "performance",
                "maintainability"};
        static final String[] SEVERITY = {"info", "warning", "critical"};

        private Values() { }
    }

    /** The {@code source} values of the document's examples. */
    private static final class Source {
        static final String PROJECT = "project_service";
        static final String AGENT = "agent_service";
        static final String WORKFLOW = "workflow_service";
        static final String GITHUB = "github_service";
        static final String AI = "ai_dock_service";

        private Source() { }
    }

    /** One entry of an event's "Room:" line. */
    private record Route(RoomName.Kind kind, String field, boolean globalWithout) {
        static final List<Route> AGENT_AND_GLOBAL = List.of(new Route(RoomName.Kind.AGENT, "agent_id", false),
                new Route(RoomName.Kind.GLOBAL, null, false));
        /** {@code project:<project_id>} (if available) or {@code global}. */
        static final List<Route> PROJECT_OR_GLOBAL = List.of(new Route(RoomName.Kind.PROJECT, "project_id", true));
        static final List<Route> PROJECT = List.of(project("project_id"));
        static final List<Route> PROJECT_AND_ASSIGNEE = List.of(project("project_id"), user("assigned_to"));

        static Route project(String field) {
            return new Route(RoomName.Kind.PROJECT, field, false);
        }

        static Route user(String field) {
            return new Route(RoomName.Kind.USER, field, false);
        }

        void addTo(JsonNode data, Set<RoomName> out) {
            if (kind == RoomName.Kind.GLOBAL) {
                out.add(RoomName.GLOBAL);
                return;
            }
            JsonNode id = data.get(field);
            if (id != null && id.isTextual()) {
                out.add(new RoomName(kind, id.textValue()));
            } else if (globalWithout) {
                out.add(RoomName.GLOBAL);
            }
        }
    }
}
