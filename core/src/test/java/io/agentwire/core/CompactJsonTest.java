package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void aCompactCopyIsEqualAndSerializesTheSameInTheSameOrder() throws Exception {
        String json = "{\"event\":\"agent.message\",\"session_id\":\"sess_1\",\"z\":1,\"a\":[1,{\"y\":null,\"b\":2.5},[]],"
                + "\"content\":{\"text\":\"héllo\",\"nested\":{\"deep\":true}},\"metadata\":{},\"n\":-7}";
        JsonNode original = tree(json);
        JsonNode compact = CompactJson.compact(original);
        assertThat(compact).isNotSameAs(original).isInstanceOf(CompactJson.CompactObject.class);
        assertThat(JSON.writeValueAsString(compact)).isEqualTo(JSON.writeValueAsString(original)).isEqualTo(json);
        assertThat(compact).isEqualTo(original);
        assertThat(original).isEqualTo(compact);
        assertThat(compact.hashCode()).isEqualTo(original.hashCode());
        assertThat(compact.path("content").path("nested").path("deep").asBoolean()).isTrue();
        assertThat(compact.get("a").get(1).get("b").asDouble()).isEqualTo(2.5);
        assertThat(compact.get("missing")).isNull();
        assertThat(compact.has("metadata")).isTrue();
        assertThat(List.of(compact.fieldNames().next(), compact.size())).containsExactly("event", 7);
        // already compact: no second copy; value nodes are shared, not copied
        assertThat(CompactJson.compact(compact)).isSameAs(compact);
        assertThat(compact.get("n")).isSameAs(original.get("n"));
        assertThat(CompactJson.compact(original.get("n"))).isSameAs(original.get("n"));
    }

    @Test
    void aCompactObjectStaysAnOrdinaryMutableObjectNode() throws Exception {
        ObjectNode o = (ObjectNode) CompactJson.compact(tree("{\"a\":1,\"b\":2,\"c\":3}"));
        o.put("d", 4).put("a", 10);
        o.remove("b");
        assertThat(JSON.writeValueAsString(o)).isEqualTo("{\"a\":10,\"c\":3,\"d\":4}");
        o.retain("c", "d");
        assertThat(JSON.writeValueAsString(o)).isEqualTo("{\"c\":3,\"d\":4}");
        for (int i = 0; i < 40; i++) o.put("k" + i, i); // grows past its size and past SMALL: still one map
        assertThat(o.size()).isEqualTo(42);
        assertThat(o.get("k39").asInt()).isEqualTo(39);

        Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
        Map.Entry<String, JsonNode> first = it.next();
        first.setValue(JSON.getNodeFactory().textNode("x"));
        assertThat(o.get("c").asText()).isEqualTo("x");
        it.remove();
        assertThat(o.has("c")).isFalse();
        assertThat(it.next().getKey()).isEqualTo("d");
        o.put("e", 5);
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        o.removeAll();
        assertThat(o.size()).isZero();
        assertThat(JSON.writeValueAsString(o)).isEqualTo("{}");
    }

    @Test
    void anObjectWithManyPropertiesKeepsAHashMapButItsChildrenAreCompact() throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i <= CompactJson.SMALL; i++) json.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"v\":").append(i).append('}');
        JsonNode original = tree(json.append('}').toString());
        JsonNode compact = CompactJson.compact(original);
        assertThat(compact).isNotInstanceOf(CompactJson.CompactObject.class).isEqualTo(original);
        assertThat(compact.get("p3")).isInstanceOf(CompactJson.CompactObject.class);
        assertThat(JSON.writeValueAsString(compact)).isEqualTo(JSON.writeValueAsString(original));
    }

    @Test
    void theMemoryBrokersWindowKeepsCompactPayloadsAndHistoryGivesThemBackEqual() throws Exception {
        MemoryBroker b = new MemoryBroker(new HistoryConfig(10, Duration.ofMinutes(1), Duration.ofMinutes(2)), () -> 1_000L, false);
        JsonNode published = tree("{\"event\":\"x\",\"content\":{\"i\":1}}");
        Publication p = b.publish("s", published).join();
        assertThat(p.data()).isInstanceOf(CompactJson.CompactObject.class).isEqualTo(published);
        History h = b.history("s", new StreamPosition(0, ""), 10).join();
        assertThat(h.publications()).singleElement().satisfies(q -> {
            assertThat(q).isSameAs(p);
            assertThat(JSON.writeValueAsString(q.data())).isEqualTo("{\"event\":\"x\",\"content\":{\"i\":1}}");
        });
        // a publication committed by the durable log is kept compact too, with its offset and epoch
        Publication committed = new Publication("d", 1, "e1", 1_000L, tree("{\"k\":[1,2]}"));
        Publication kept = b.append(committed).join();
        assertThat(kept.data()).isInstanceOf(CompactJson.CompactObject.class).isEqualTo(committed.data());
        assertThat(List.of(kept.stream(), kept.offset(), kept.epoch())).containsExactly("d", 1L, "e1");
    }
}
