package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentitySetTest {

    @Test
    void equalButDistinctObjectsAreDistinctElements() {
        IdentitySet<String> set = new IdentitySet<>();
        String a = new String("room");
        String b = new String("room");
        assertThat(set.add(a)).isTrue();
        assertThat(set.add(b)).isTrue();
        assertThat(set.add(a)).isFalse();
        assertThat(set).hasSize(2);
        assertThat(set.contains(new String("room"))).isFalse();
        assertThat(set.remove(b)).isTrue();
        assertThat(set.remove(b)).isFalse();
        assertThat(set.contains(a)).isTrue();
        assertThat(set.contains(null)).isFalse();
        assertThat(set.remove(null)).isFalse();
        assertThatThrownBy(() -> set.add(null)).isInstanceOf(NullPointerException.class);
    }

    /** Random adds and removes (growing to 3 000, shrinking to none, twice): always the same as a reference set. */
    @Test
    void behavesAsAnIdentitySetThroughGrowthRemovalsAndShrinking() {
        Random random = new Random(21);
        List<Object> pool = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) pool.add(new Object());
        IdentitySet<Object> set = new IdentitySet<>();
        Set<Object> reference = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int phase = 0; phase < 4; phase++) {
            boolean growing = phase % 2 == 0;
            for (int step = 0; step < 20_000; step++) {
                Object o = pool.get(random.nextInt(pool.size()));
                boolean add = random.nextInt(10) < (growing ? 8 : 2);
                if (add) assertThat(set.add(o)).isEqualTo(reference.add(o));
                else assertThat(set.remove(o)).isEqualTo(reference.remove(o));
                assertThat(set.size()).isEqualTo(reference.size());
            }
            assertSame(set, reference);
            for (Object o : pool) assertThat(set.contains(o)).isEqualTo(reference.contains(o));
        }
        for (Object o : pool) {
            set.remove(o);
            reference.remove(o);
        }
        assertThat(set).isEmpty();
        assertThat(set.iterator().hasNext()).isFalse();
    }

    @Test
    void iteratesEveryElementOnceAndEndsWithNoSuchElement() {
        IdentitySet<Object> set = new IdentitySet<>();
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Object o = new Object();
            added.add(o);
            set.add(o);
        }
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Iterator<Object> it = set.iterator();
        while (it.hasNext()) assertThat(seen.add(it.next())).isTrue();
        assertThat(seen).hasSize(100).containsAll(added);
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        set.clear();
        assertThat(set).isEmpty();
        assertThat(set.add(added.get(0))).isTrue();
    }

    private static void assertSame(IdentitySet<Object> set, Set<Object> reference) {
        int n = 0;
        for (Object o : set) {
            assertThat(reference.contains(o)).isTrue();
            n++;
        }
        assertThat(n).isEqualTo(reference.size());
    }
}
