package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.StreamPosition;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class RecoveryStoreTest {
    /** Shared records as a map (what Redis does, minus the network). */
    static final class MapRecords implements RecoveryRecords {
        final Map<String, JsonNode> map = new ConcurrentHashMap<>();
        final Map<String, Duration> ttls = new ConcurrentHashMap<>();

        @Override public void put(String scope, String key, JsonNode record, Duration ttl) {
            map.put(scope + "/" + key, record);
            ttls.put(scope + "/" + key, ttl);
        }

        @Override public CompletableFuture<JsonNode> take(String scope, String key) {
            return CompletableFuture.completedFuture(map.remove(scope + "/" + key));
        }
    }

    private static RecoveryStore.Saved saved(String pid, long at) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("note", "kept");
        return new RecoveryStore.Saved("sid1", pid, "alice", Set.of("sid1", "club"), data, new StreamPosition(41, "ep"), at);
    }

    @Test
    void inMemoryAStateIsTakenOnceWithinTheWindowAndLiveStatesAreNotKept() {
        RecoveryStore store = new RecoveryStore(Duration.ofSeconds(10));
        assertThat(store.isShared()).isFalse();
        store.live(saved("p0", 1_000));
        assertThat(store.take("p0", 1_500).join()).isNull();
        store.save(saved("p1", 1_000));
        assertThat(store.take("p1", 2_000).join()).isEqualTo(saved("p1", 1_000));
        assertThat(store.take("p1", 2_000).join()).isNull();
        store.save(saved("p2", 1_000));
        assertThat(store.take("p2", 11_001).join()).as("older than the window").isNull();
    }

    @Test
    void expiredStatesAreSweptAtMostOnceASecondNotOnEverySave() {
        RecoveryStore store = new RecoveryStore(Duration.ofSeconds(10));
        store.save(saved("old", 1_000));
        store.save(saved("a", 11_500)); // first sweep: "old" (10.5 s) expired
        assertThat(store.size()).isEqualTo(1);
        store.save(saved("b", 12_000)); // within a second of that sweep: no walk over the records
        store.save(saved("c", 21_600)); // "a" expired now, and the last sweep is long ago
        assertThat(store.size()).as("a swept, b and c kept").isEqualTo(2);
        assertThat(store.take("b", 21_700).join()).isNotNull();
        // many saves in the same second walk the records once: the expired one stays until the next sweep...
        store.save(saved("d", 22_001));
        store.save(saved("e", 31_700)); // swept: c (10.1 s) goes
        store.save(saved("f", 31_900)); // d is 9.9 s old: kept; no sweep in this second anyway
        assertThat(store.size()).isEqualTo(3);
        // ...and take never returns an expired one, swept or not
        assertThat(store.take("d", 32_002).join()).isNull();
    }

    @Test
    void sharedStatesRoundTripThroughJsonUnderTheirScopeWithTheWindowAsTtl() {
        MapRecords records = new MapRecords();
        RecoveryStore a = new RecoveryStore(Duration.ofSeconds(10), records, "default:/");
        RecoveryStore b = new RecoveryStore(Duration.ofSeconds(10), records, "default:/");
        RecoveryStore other = new RecoveryStore(Duration.ofSeconds(10), records, "default:/chat");
        a.live(saved("p1", 1_000));
        assertThat(records.ttls.get("default://p1")).isEqualTo(Duration.ofSeconds(10));
        assertThat(other.take("p1", 2_000).join()).isNull();
        RecoveryStore.Saved back = b.take("p1", 2_000).join();
        assertThat(back).isEqualTo(saved("p1", 1_000));
        assertThat(b.take("p1", 2_000).join()).isNull();
        a.save(saved("p2", 1_000));
        assertThat(b.take("p2", 12_000).join()).as("older than the window").isNull();
        records.put("default:/", "bad", JsonNodeFactory.instance.objectNode().put("sid", 1), Duration.ofSeconds(1));
        assertThat(b.take("bad", 1_000).join()).as("unreadable: not recovered").isNull();
    }
}
