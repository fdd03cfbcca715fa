package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WireMetersTest {
    /** Counts by name and tags; a timer counts its recordings under {@code name.count}. */
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Meters meters = new Meters() {
        @Override
        public Counter counter(String name, String description, String... tags) {
            AtomicLong c = counts.computeIfAbsent(name + String.join(",", tags), k -> new AtomicLong());
            return c::addAndGet;
        }

        @Override
        public Timer timer(String name, String description, String... tags) {
            AtomicLong c = counts.computeIfAbsent(name + ".count" + String.join(",", tags), k -> new AtomicLong());
            return nanos -> c.incrementAndGet();
        }
    };
    private final WireMeters wire = new WireMeters(meters, "rooms");

    private long count(String name, String... more) {
        AtomicLong c = counts.get(name + "dialect,rooms" + (more.length == 0 ? "" : "," + String.join(",", more)));
        return c == null ? 0 : c.get();
    }

    @Test
    void aPublicationFannedOutToConnectionsIsThatManyDeliveriesWithLatenciesAndNoFurtherMessagesOut() {
        Publication p = new Publication("session:s", 1, "e", System.currentTimeMillis() - 5, JsonNodeFactory.instance.objectNode());
        wire.fannedOut(p, 3);
        wire.fannedOut(p, 0);
        assertThat(count("agentwire.deliveries")).isEqualTo(3);
        assertThat(count("agentwire.delivery.latency.count")).isEqualTo(3);
        assertThat(count("agentwire.messages.out")).isZero();
    }

    @Test
    void aPublicationWithoutATimeIsDeliveredWithoutALatency() {
        wire.delivered(new Publication("room:r", 1, "e", 0, JsonNodeFactory.instance.objectNode()));
        assertThat(count("agentwire.deliveries")).isEqualTo(1);
        assertThat(count("agentwire.messages.out")).isEqualTo(1);
        assertThat(count("agentwire.delivery.latency.count")).isZero();
    }

    @Test
    void acknowledgementsAreCountedByDirectionAndAsMessages() {
        wire.ackIn();
        wire.ackOut();
        wire.ackOut();
        assertThat(count("agentwire.acks", "direction,in")).isEqualTo(1);
        assertThat(count("agentwire.acks", "direction,out")).isEqualTo(2);
        assertThat(count("agentwire.messages.in")).isEqualTo(1);
        assertThat(count("agentwire.messages.out")).isEqualTo(2);
    }

    @Test
    void errorsAreCountedByCode() {
        wire.error("INVALID_ROOM");
        wire.error("INVALID_ROOM");
        wire.error(null);
        assertThat(count("agentwire.errors", "code,INVALID_ROOM")).isEqualTo(2);
        assertThat(count("agentwire.errors", "code,UNKNOWN")).isEqualTo(1);
    }
}
