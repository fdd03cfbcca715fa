package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalPresenceTest {
    private final LocalPresence presence = new LocalPresence();

    private Presence.Snapshot snapshot(String scope) {
        return presence.snapshot(scope).join();
    }

    @Test
    void countsConnectionsAndRoomMembersPerScope() {
        presence.connected("rooms", "a");
        presence.connected("rooms", "b");
        presence.connected("other", "a");
        presence.joined("rooms", "a", "global");
        presence.joined("rooms", "b", "global");
        presence.joined("rooms", "a", "project:1");
        presence.joined("other", "a", "global");

        assertThat(snapshot("rooms")).isEqualTo(new Presence.Snapshot(2, Map.of("global", 2L, "project:1", 1L)));
        assertThat(snapshot("other")).isEqualTo(new Presence.Snapshot(1, Map.of("global", 1L)));
        assertThat(snapshot("unknown")).isEqualTo(new Presence.Snapshot(0, Map.of()));
    }

    @Test
    void leavingAndDisconnectingRemoveMembershipsAndEmptyRooms() {
        presence.connected("rooms", "a");
        presence.connected("rooms", "b");
        presence.joined("rooms", "a", "global");
        presence.joined("rooms", "b", "global");
        presence.joined("rooms", "a", "project:1");

        presence.left("rooms", "b", "global");
        assertThat(snapshot("rooms").rooms()).isEqualTo(Map.of("global", 1L, "project:1", 1L));

        presence.disconnected("rooms", "a");
        assertThat(snapshot("rooms")).isEqualTo(new Presence.Snapshot(1, Map.of()));
    }

    @Test
    void duplicateAndLateCallsAreHarmless() {
        presence.connected("rooms", "a");
        presence.joined("rooms", "a", "global");
        presence.joined("rooms", "a", "global");          // joined twice counts once
        presence.joined("rooms", "ghost", "global");      // unknown connection: ignored
        presence.left("rooms", "a", "never-joined");
        assertThat(snapshot("rooms").rooms()).isEqualTo(Map.of("global", 1L));

        presence.disconnected("rooms", "a");
        presence.disconnected("rooms", "a");
        presence.joined("rooms", "a", "global");          // after disconnect: ignored
        assertThat(snapshot("rooms")).isEqualTo(new Presence.Snapshot(0, Map.of()));
    }

    @Test
    void snapshotIsACopy() {
        presence.connected("rooms", "a");
        presence.joined("rooms", "a", "global");
        Presence.Snapshot before = snapshot("rooms");
        presence.joined("rooms", "a", "project:1");
        assertThat(before.rooms()).isEqualTo(Map.of("global", 1L));
    }
}
