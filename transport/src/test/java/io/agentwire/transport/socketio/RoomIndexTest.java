package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local room index: who receives a publication, and from which position a registered socket does. */
class RoomIndexTest {
    RoomIndex index;
    int token;

    @BeforeEach
    void live() {
        index = new RoomIndex();
        token = index.reset(new ArrayList<>());
        index.liveAt(token, new StreamPosition(10, "e"));
    }

    @Test
    void noSocketRegistersBeforeTheFeedIsLive() {
        RoomIndex fresh = new RoomIndex();
        fresh.reset(new ArrayList<>());
        assertThat(fresh.register(null, null, List.of("id"))).isNull();
    }

    @Test
    void aRegistrationStartsAtTheLastDispatchedPosition() {
        RoomIndex.Member a = index.register(null, null, List.of("a"));
        index.dispatch(token, new StreamPosition(11, "e"), target(Set.of(), Set.of()));
        RoomIndex.Member b = index.register(null, null, List.of("b"));
        assertThat(a.start).isEqualTo(new StreamPosition(10, "e"));
        assertThat(b.start).isEqualTo(new StreamPosition(11, "e"));
    }

    @Test
    void recipientsAreTheMembersOfTheTargetRoomsOnceEachMinusTheExcepted() {
        RoomIndex.Member a = index.register(null, null, List.of("a", "red", "blue"));
        RoomIndex.Member b = index.register(null, null, List.of("b", "red"));
        RoomIndex.Member c = index.register(null, null, List.of("c"));
        assertThat(to(Set.of("red"), Set.of())).containsExactlyInAnyOrder(a, b);
        assertThat(to(Set.of("red", "blue"), Set.of())).containsExactlyInAnyOrder(a, b);
        assertThat(to(Set.of("red"), Set.of("a"))).containsExactly(b);
        assertThat(to(Set.of(), Set.of("blue"))).containsExactlyInAnyOrder(b, c);
        assertThat(to(Set.of(), Set.of())).containsExactlyInAnyOrder(a, b, c);
        assertThat(to(Set.of("c"), Set.of())).containsExactly(c);
        assertThat(to(Set.of("nobody"), Set.of())).isEmpty();
    }

    @Test
    void joinLeaveAndRemoveTakeEffectForTheNextPublication() {
        RoomIndex.Member a = index.register(null, null, List.of("a"));
        assertThat(to(Set.of("club"), Set.of())).isEmpty();
        index.join(a, List.of("club"));
        assertThat(to(Set.of("club"), Set.of())).containsExactly(a);
        index.leave(a, "club");
        assertThat(to(Set.of("club"), Set.of())).isEmpty();
        index.join(a, List.of("club"));
        assertThat(index.remove(a)).containsExactlyInAnyOrder("a", "club");
        assertThat(to(Set.of("club"), Set.of())).isEmpty();
        assertThat(index.join(a, List.of("late"))).isFalse();
        assertThat(index.rooms(a)).containsExactlyInAnyOrder("a", "club");
        assertThat(index.size()).isZero();
    }

    @Test
    void aRoomGrowsFromOneMemberToManyAndBackAndAMemberKeepsEachRoomOnce() {
        RoomIndex.Member a = index.register(null, null, List.of("a", "a"));
        RoomIndex.Member b = index.register(null, null, List.of("b"));
        RoomIndex.Member c = index.register(null, null, List.of("c"));
        index.join(b, List.of("a", "a")); // another socket's own room, as socket.io allows
        index.join(c, List.of("a"));
        assertThat(to(Set.of("a"), Set.of())).containsExactlyInAnyOrder(a, b, c);
        index.leave(b, "a");
        index.leave(b, "a");
        assertThat(to(Set.of("a"), Set.of())).containsExactlyInAnyOrder(a, c);
        index.remove(c);
        assertThat(to(Set.of("a"), Set.of())).containsExactly(a);
        index.leave(a, "a"); // a socket may leave its own room
        assertThat(to(Set.of("a"), Set.of())).isEmpty();
        assertThat(index.rooms(a)).isEmpty();
        assertThat(index.rooms(b)).containsExactly("b");
        index.join(a, List.of("x", "y", "a"));
        index.leave(a, "y");
        assertThat(index.rooms(a)).containsExactlyInAnyOrder("x", "a");
        assertThat(to(Set.of("a", "x"), Set.of())).containsExactly(a);
    }

    @Test
    void aNamespaceBroadcastReachesEveryMemberInRegistrationOrderThroughRemovalsAndResets() {
        List<RoomIndex.Member> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) all.add(index.register(null, null, List.of("s" + i)));
        index.remove(all.get(0)); // the first
        index.remove(all.get(3)); // one in the middle
        index.remove(all.get(5)); // the last
        index.remove(all.get(3)); // again: nothing changes
        assertThat(to(Set.of(), Set.of())).containsExactly(all.get(1), all.get(2), all.get(4));
        assertThat(index.size()).isEqualTo(3);
        RoomIndex.Member later = index.register(null, null, List.of("later"));
        assertThat(to(Set.of(), Set.of("s2"))).containsExactly(all.get(1), all.get(4), later);
        index.remove(all.get(1));
        index.remove(all.get(2));
        index.remove(all.get(4));
        index.remove(later);
        assertThat(to(Set.of(), Set.of())).isEmpty();
        assertThat(index.size()).isZero();
        RoomIndex.Member again = index.register(null, null, List.of("again"));
        RoomIndex.Member two = index.register(null, null, List.of("two"));
        assertThat(to(Set.of(), Set.of())).containsExactly(again, two);
        List<RoomIndex.Member> dropped = new ArrayList<>();
        int next = index.reset(dropped);
        assertThat(dropped).containsExactly(again, two);
        assertThat(index.size()).isZero();
        index.remove(again); // dropped by the reset: nothing to unlink
        index.liveAt(next, new StreamPosition(3, "f"));
        RoomIndex.Member fresh = index.register(null, null, List.of("fresh"));
        assertThat(index.dispatch(next, new StreamPosition(4, "f"), target(Set.of(), Set.of()))).containsExactly(fresh);
    }

    @Test
    void aResetDropsEveryMemberAndIgnoresTheOldFeed() {
        RoomIndex.Member a = index.register(null, null, List.of("a"));
        List<RoomIndex.Member> dropped = new ArrayList<>();
        int next = index.reset(dropped);
        assertThat(dropped).containsExactly(a);
        assertThat(index.dispatch(token, new StreamPosition(11, "e"), target(Set.of(), Set.of()))).isEmpty();
        assertThat(index.register(null, null, List.of("b"))).isNull();
        index.liveAt(next, new StreamPosition(3, "f"));
        assertThat(index.register(null, null, List.of("b")).start).isEqualTo(new StreamPosition(3, "f"));
    }

    private List<RoomIndex.Member> to(Set<String> rooms, Set<String> except) {
        return index.dispatch(token, new StreamPosition(10, "e"), target(rooms, except));
    }

    private static Namespace.Target target(Set<String> rooms, Set<String> except) {
        return new Namespace.Target(rooms, except, false);
    }
}
