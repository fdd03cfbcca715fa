package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdminEventsTest {
    private final AtomicLong millis = new AtomicLong(1_000_000_500L);
    private final AdminEvents events = new AdminEvents(millis::get);

    @Test
    void countsPerSecondAndTypeAreReadOnceCompleteAndOncePerReader() {
        events.add("packetsIn", null, 1);
        events.add("packetsIn", null, 1);
        events.add("rawDisconnection", "transport close", 1);
        events.add("bytesIn", null, 300);
        long second = events.now();
        assertThat(events.since(second - 1, second)).isEmpty(); // the current second is not complete yet

        millis.addAndGet(1_000);
        ArrayNode read = events.since(second - 1, events.now());
        assertThat(read).hasSize(3);
        assertThat(find(read, "packetsIn").path("count").asLong()).isEqualTo(2);
        assertThat(find(read, "packetsIn").path("timestamp").asLong()).isEqualTo(1_000_000_000L);
        assertThat(find(read, "packetsIn").has("subType")).isFalse();
        assertThat(find(read, "rawDisconnection").path("subType").asText()).isEqualTo("transport close");
        assertThat(find(read, "bytesIn").path("count").asLong()).isEqualTo(300);
        // a second reader gets the same counts; the first one, having seen that second, nothing more
        assertThat(events.since(second - 1, events.now())).hasSize(3);
        assertThat(events.since(second, events.now())).isEmpty();
    }

    @Test
    void oldSecondsAreDropped() {
        events.add("rawConnection", null, 1);
        long second = events.now();
        millis.addAndGet((AdminEvents.KEEP_SECONDS + 5) * 1000L);
        assertThat(events.since(second - 1, events.now())).isEmpty();
    }

    private static JsonNode find(ArrayNode a, String type) {
        for (JsonNode n : a) if (n.path("type").asText().equals(type)) return n;
        throw new AssertionError("no " + type + " in " + a);
    }
}
