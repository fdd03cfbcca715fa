package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.InvalidFieldException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spec 004's event catalogue: the names, the rooms of each "Room:" line, the checks, the payload shape. */
class ServerEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-08T10:30:00.123Z"), ZoneOffset.UTC);

    private static ServerEvent parse(String json) throws Exception {
        return ServerEvent.fromJson(JSON.readTree(json), CLOCK);
    }

    @Test
    void theCatalogueHoldsEveryEventOfTheDocument() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName)).containsExactlyInAnyOrder(
                "project.updated", "project.deleted", "agent.status_changed", "agent.connected", "agent.disconnected",
                "workflow.progress", "workflow.started", "workflow.completed", "workflow.failed", "pr.created",
                "pr.updated", "pr.closed", "issue.created", "issue.updated", "issue.closed", "ai.suggestion",
                "ai.analysis_complete");
        assertThat(EventType.of("project.created")).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            project.updated      | {"project_id":"p","updated_by":"u"}                                   | project:p user:u
            project.deleted      | {"project_id":"p","deleted_by":"u"}                                   | project:p user:u
            project.updated      | {"project_id":"p","updated_by":"p"}                                   | project:p user:p
            agent.status_changed | {"agent_id":"a","status":"online"}                                    | agent:a global
            agent.connected      | {"agent_id":"a"}                                                      | agent:a global
            agent.disconnected   | {"agent_id":"a"}                                                      | agent:a global
            workflow.progress    | {"workflow_id":"w","status":"running","progress":1,"project_id":"p"} | project:p
            workflow.progress    | {"workflow_id":"w","status":"running","progress":1}                  | global
            workflow.started     | {"workflow_id":"w","project_id":"p"}                                  | project:p
            workflow.completed   | {"workflow_id":"w"}                                                   | global
            workflow.failed      | {"workflow_id":"w","project_id":null}                                 | global
            pr.created           | {"pr_id":"x","project_id":"p","title":"t"}                            | project:p
            pr.updated           | {"pr_id":"x","project_id":"p"}                                        | project:p
            pr.closed            | {"pr_id":"x","project_id":"p"}                                        | project:p
            issue.updated        | {"issue_id":"i","project_id":"p","assigned_to":"u"}                   | project:p user:u
            issue.updated        | {"issue_id":"i","project_id":"p","assigned_to":null}                  | project:p
            issue.created        | {"issue_id":"i","project_id":"p","assigned_to":"u"}                   | project:p user:u
            issue.closed         | {"issue_id":"i","project_id":"p"}                                     | project:p
            ai.suggestion        | {"suggestion_id":"s","target_type":"pr","category":"security","title":"t","severity":"info","project_id":"p"} | project:p
            ai.suggestion        | {"suggestion_id":"s","target_type":"pr","category":"security","title":"t","severity":"info"} | global
            ai.analysis_complete | {}                                                                    | global
            ai.analysis_complete | {"project_id":"p"}                                                    | project:p
            """)
    void eachEventGoesToTheRoomsOfItsRoomLine(String type, String data, String rooms) throws Exception {
        ServerEvent e = parse("{\"type\":\"" + type + "\",\"data\":" + data + "}");
        assertThat(e.rooms().stream().map(RoomName::name).toList()).isEqualTo(List.of(rooms.split(" ")));
    }

    @Test
    void thePayloadHasTheDocumentedShapeWithDefaults() throws Exception {
        JsonNode out = parse("{\"type\":\"pr.updated\",\"data\":{\"pr_id\":\"x\",\"project_id\":\"p\",\"status\":\"merged\"},"
                + "\"ignored\":1}").toJson();
        assertThat(out.toString()).isEqualTo("{\"type\":\"pr.updated\",\"timestamp\":\"2024-11-08T10:30:00.123Z\","
                + "\"source\":\"github_service\",\"data\":{\"pr_id\":\"x\",\"project_id\":\"p\",\"status\":\"merged\"}}");
        JsonNode given = parse("{\"type\":\"agent.connected\",\"source\":\"fleet\",\"timestamp\":\"2024-11-08T11:30:00+01:00\","
                + "\"data\":{\"agent_id\":\"a\",\"extra\":[1]}}").toJson();
        assertThat(given.path("source").asText()).isEqualTo("fleet");
        assertThat(given.path("timestamp").asText()).isEqualTo("2024-11-08T11:30:00+01:00");
        assertThat(given.path("data").path("extra").toString()).isEqualTo("[1]"); // undocumented fields pass through
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"agent.status_changed","data":{"agent_id":"a"}}                       | MISSING_FIELD | data.status
            {"type":"agent.status_changed","data":{"agent_id":"a","status":"gone"}}       | INVALID_FIELD | data.status
            {"type":"workflow.progress","data":{"workflow_id":"w","status":"running"}}    | MISSING_FIELD | data.progress
            {"type":"issue.updated","data":{"issue_id":"i","project_id":"p","priority":"urgent"}} | INVALID_FIELD | data.priority
            {"type":"ai.suggestion","data":{"suggestion_id":"s","target_type":"pr","category":"x","title":"t","severity":"info"}} | INVALID_FIELD | data.category
            {"type":"pr.created","data":{"pr_id":"x","project_id":"p"}}                   | MISSING_FIELD | data.title
            {"type":"nope","data":{}}                                                     | UNKNOWN_EVENT | type
            {"data":{}}                                                                   | MISSING_FIELD | type
            {"type":"pr.closed"}                                                          | MISSING_FIELD | data
            {"type":"pr.closed","data":{"pr_id":"x","project_id":"p"},"timestamp":"today"} | INVALID_FIELD | timestamp
            """)
    void aBadEventNamesItsField(String json, ErrorCode code, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(InvalidFieldException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void roomNamesAreTheFourDocumentedTypes() {
        assertThat(RoomName.parse("global")).isEqualTo(RoomName.GLOBAL);
        assertThat(RoomName.parse("project:550e8400-e29b-41d4-a716-446655440000").kind()).isEqualTo(RoomName.Kind.PROJECT);
        assertThat(RoomName.parse("user:auth0|123").id()).isEqualTo("auth0|123");
        assertThat(RoomName.parse("agent:a:b").id()).isEqualTo("a:b");
        for (String bad : new String[] {"", "global:x", "Global", "team:x", "project:", "project: x", "user:a\tb",
                "project:" + "x".repeat(RoomName.MAX_ID + 1), "abcdefghij"}) {
            assertThat(RoomName.parse(bad)).as(bad).isNull();
        }
        assertThat(RoomName.parse("project:" + "x".repeat(RoomName.MAX_ID))).isNotNull();
    }
}
