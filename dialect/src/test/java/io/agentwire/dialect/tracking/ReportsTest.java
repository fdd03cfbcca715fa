package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.InvalidFieldException;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Backends' reports: what is accepted, and that every refusal names its field. */
class ReportsTest {

    private static JsonNode json(String text) throws Exception {
        return WsClient.JSON.readTree(text);
    }

    private static InvalidFieldException refused(Runnable r) {
        return catchThrowableOfType(InvalidFieldException.class, r::run);
    }

    @Test
    void anAgentStatusAsSpec002BroadcastsIt() throws Exception {
        AgentStatusReport r = AgentStatusReport.fromJson(json("""
                {"agent_id":"agent-uuid","agent_name":"Technical Integration Specialist","status":"processing",
                 "progress":65,"message":"Analyzing webhook signature validation...",
                 "metadata":{"task_id":"task-uuid","estimated_completion":30},"session_id":"session_abc123",
                 "query":"How do I fix webhook errors?","ignored":true}"""));
        assertThat(r.status()).isEqualTo(AgentStatus.PROCESSING);
        assertThat(r.progress()).isEqualTo(65);
        assertThat(r.metadata().path("estimated_completion").asInt()).isEqualTo(30);
        assertThat(r.sessionId()).isEqualTo("session_abc123");
        AgentStatusReport minimal = AgentStatusReport.fromJson(json(
                "{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":0}"));
        assertThat(minimal.message()).isEmpty();
        assertThat(minimal.sessionId()).isNull();
        assertThat(minimal.metadata().isEmpty()).isTrue();
    }

    @Test
    void aBadAgentStatusNamesTheField() throws Exception {
        String[][] cases = {
                {"{\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":0}", "MISSING_FIELD", "agent_id"},
                {"{\"agent_id\":\"\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":0}", "INVALID_FIELD", "agent_id"},
                {"{\"agent_id\":\"a\",\"agent_name\":7,\"status\":\"IDLE\",\"progress\":0}", "INVALID_FIELD", "agent_name"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"RUNNING\",\"progress\":0}", "INVALID_FIELD", "status"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"progress\":0}", "MISSING_FIELD", "status"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\"}", "MISSING_FIELD", "progress"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":101}", "INVALID_FIELD", "progress"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":\"50\"}", "INVALID_FIELD", "progress"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":2.5}", "INVALID_FIELD", "progress"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":1,\"metadata\":[]}", "INVALID_FIELD", "metadata"},
                {"{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":1,\"session_id\":\" \"}", "INVALID_FIELD", "session_id"},
        };
        for (String[] k : cases) {
            JsonNode body = json(k[0]);
            InvalidFieldException e = refused(() -> AgentStatusReport.fromJson(body));
            assertThat(e).as(k[0]).isNotNull();
            assertThat(e.code().name()).as(k[0]).isEqualTo(k[1]);
            assertThat(e.field()).as(k[0]).isEqualTo(k[2]);
            assertThat(e.getMessage()).as(k[0]).contains(k[2]);
        }
        InvalidFieldException notObject = refused(() -> AgentStatusReport.fromJson(WsClient.JSON.createArrayNode()));
        assertThat(notObject.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(notObject.field()).isNull();
    }

    @Test
    void collaborationsAndLogLines() throws Exception {
        CollaborationReport c = CollaborationReport.fromJson(json("""
                {"primary_agent":"Technical Integration Specialist","secondary_agent":"Security Specialist",
                 "collaboration_type":"handoff","reason":"Requires security expertise"}"""));
        assertThat(c.collaborationType()).isEqualTo("handoff");
        JsonNode noSecondary = json("{\"primary_agent\":\"A\",\"collaboration_type\":\"handoff\"}");
        assertThat(refused(() -> CollaborationReport.fromJson(noSecondary)).field()).isEqualTo("secondary_agent");

        LogReport logs = LogReport.fromJson(json("""
                {"session_id":"s1","logs":[{"level":"INFO","agent":"A","message":"Starting webhook analysis","details":{}},
                                           {"message":"no level: info"}]}"""));
        assertThat(logs.lines()).extracting(LogReport.Line::level).containsExactly("info", "info");
        String[][] cases = {
                {"{\"logs\":[{\"message\":\"m\"}]}", "session_id"},
                {"{\"session_id\":\"s\"}", "logs"},
                {"{\"session_id\":\"s\",\"logs\":[]}", "logs"},
                {"{\"session_id\":\"s\",\"logs\":{}}", "logs"},
                {"{\"session_id\":\"s\",\"logs\":[{\"message\":\"m\"},{\"level\":\"info\"}]}", "logs[1].message"},
                {"{\"session_id\":\"s\",\"logs\":[{\"message\":\"m\",\"level\":\"loud\"}]}", "logs[0].level"},
                {"{\"session_id\":\"s\",\"logs\":[3]}", "logs[0]"},
                {"{\"session_id\":\"s\",\"logs\":[{\"message\":\"m\",\"details\":\"x\"}]}", "logs[0].details"},
        };
        for (String[] k : cases) {
            JsonNode body = json(k[0]);
            InvalidFieldException e = refused(() -> LogReport.fromJson(body));
            assertThat(e).as(k[0]).isNotNull();
            assertThat(e.field()).as(k[0]).isEqualTo(k[1]);
            assertThat(e.getMessage()).as(k[0]).contains(k[1]);
        }
    }

    @Test
    void everyReportReadsBackFromItsJsonAsItWas() throws Exception {
        AgentStatusReport status = AgentStatusReport.fromJson(json("""
                {"agent_id":"a","agent_name":"A","status":"collaborating","progress":7,"session_id":"s","query":"q",
                 "metadata":{"k":[1,2]}}"""));
        assertThat(AgentStatusReport.fromJson(status.toJson())).isEqualTo(status);
        AgentStatusReport bare = new AgentStatusReport("a", "A", AgentStatus.IDLE, 0, null, null, null, null);
        assertThat(AgentStatusReport.fromJson(bare.toJson())).isEqualTo(bare);
        CollaborationReport c = new CollaborationReport("A", "B", "handoff", "why", "s", null);
        assertThat(CollaborationReport.fromJson(c.toJson())).isEqualTo(c);
        LogReport logs = new LogReport("s", java.util.List.of(new LogReport.Line("WARNING", "A", "m", null),
                new LogReport.Line(null, null, "n", WsClient.JSON.createObjectNode().put("x", 1))));
        assertThat(LogReport.fromJson(logs.toJson())).isEqualTo(logs);
    }
}
