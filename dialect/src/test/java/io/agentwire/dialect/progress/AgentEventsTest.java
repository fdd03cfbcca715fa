package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The run-event → agent_event mapping, event by event (docs/progress.md, "Agent events → agent_event"). */
class AgentEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode e(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void anEventTypeInMetadataOrContentIsPassedThroughAndTurnsTheGenericMappingOff() throws Exception {
        AgentEvents a = new AgentEvents();
        ObjectNode m = a.map(e("{'event':'x.step','content':{'tool_name':'t','similarity':0.8},"
                + "'metadata':{'run_id':'r','event_type':'tool_found'}}"));
        assertThat(m.toString()).isEqualTo("{\"event_type\":\"tool_found\",\"data\":{\"tool_name\":\"t\",\"similarity\":0.8}}");
        ObjectNode c = a.map(e("{'event':'x.step','content':{'event_type':'using_composite_tool','data':"
                + "{'tool_name':'p','component_tools':['a','b']}},'metadata':{}}"));
        assertThat(c.toString()).isEqualTo("{\"event_type\":\"using_composite_tool\",\"data\":{\"tool_name\":\"p\","
                + "\"component_tools\":[\"a\",\"b\"]}}");
        assertThat(a.nativeRun()).isTrue();
        assertThat(a.map(e("{'event':'plan.start','content':{'query':'q'},'metadata':{}}"))).isNull();
        assertThat(a.metadata().path("tool_name").asText()).isEqualTo("p");
    }

    @Test
    void theToolsmithsEventsAndFinalAnswerFillQueryComplete() throws Exception {
        AgentEvents a = new AgentEvents();
        assertThat(a.map(e("{'event':'toolsmith.synthesis_step','content':{'step':'verification_retry',"
                + "'status':'in_progress','message':'m'}}")).toString())
                .isEqualTo("{\"event_type\":\"synthesis_step\",\"data\":{\"step\":\"verification_retry\","
                        + "\"status\":\"in_progress\",\"message\":\"m\"}}");
        assertThat(a.map(e("{'event':'agent.partial_answer','content':{'text':'par'}}"))).isNull();
        assertThat(a.map(e("{'event':'agent.final_answer','content':{'text':'Done.','success':true,'tool_name':"
                + "'km_to_miles','synthesized':false,'tool_result':'3.1 miles'}}"))).isNull();
        assertThat(a.response()).isEqualTo("Done.");
        assertThat(a.answeredSuccess()).isTrue();
        assertThat(a.metadata().toString()).isEqualTo(
                "{\"tool_name\":\"km_to_miles\",\"synthesized\":false,\"tool_result\":\"3.1 miles\"}");
        AgentEvents failed = new AgentEvents();
        failed.map(e("{'event':'toolsmith.execution_failed','content':{'tool_name':'t','error':'boom'}}"));
        assertThat(failed.map(e("{'event':'agent.error','content':{'message':'The tool failed.'}}")).toString())
                .isEqualTo("{\"event_type\":\"error\",\"data\":{\"error\":\"The tool failed.\"}}");
        assertThat(failed.error()).isEqualTo("The tool failed.");
    }

    @Test
    void otherAgentsMapOntoTheClosestTypes() throws Exception {
        AgentEvents a = new AgentEvents();
        assertThat(a.map(e("{'event':'plan.completed','content':{'tasks':[{'task_id':'1','description':'a'},"
                + "{'task_id':'2','description':'b'}]}}")).toString())
                .isEqualTo("{\"event_type\":\"plan_complete\",\"data\":{\"strategy\":\"sequential\","
                        + "\"reasoning\":\"Planned 2 tasks: a; b\"}}");
        assertThat(a.map(e("{'event':'agent.tool_result','content':{'tool':'fs__read','result':'nope','is_error':true}}"))
                .toString()).isEqualTo("{\"event_type\":\"execution_failed\",\"data\":{\"tool_name\":\"fs__read\","
                        + "\"error\":\"nope\"}}");
        String big = "x".repeat(300);
        ObjectNode done = a.map(e("{'event':'solver.completed','content':{'task_id':'2','result':'" + big + "'}}"));
        assertThat(done.path("data").path("result").asText()).hasSize(203).endsWith("...");
        assertThat(a.map(e("{'event':'agent.thinking','content':{'text':'t'}}"))).isNull();
        assertThat(a.map(e("{'event':'agent.final_answer','content':{'text':'all done'}}")).toString())
                .isEqualTo("{\"event_type\":\"complete\",\"data\":{\"response\":\"all done\"}}");
        assertThat(a.metadata().toString()).isEqualTo("{\"tool_name\":\"2\",\"synthesized\":false,\"tool_result\":\"" + big + "\"}");
        assertThat(a.nativeRun()).isFalse();
    }
}
