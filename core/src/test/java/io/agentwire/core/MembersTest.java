package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MembersTest {
    private static List<String> list(Members<String> m) {
        List<String> out = new ArrayList<>();
        for (String s : m) out.add(s);
        return out;
    }

    @Test
    void addsOnceRemovesAndIsNullWhenEmpty() {
        Members<String> m = Members.with(null, "a");
        m = Members.with(m, "b");
        Members<String> again = Members.with(m, new String("a")); // equal, not the same: not added twice
        assertThat(again).isSameAs(m);
        assertThat(list(m)).containsExactly("a", "b");
        assertThat(m.contains("b")).isTrue();
        assertThat(Members.without(m, "c")).isSameAs(m);
        Members<String> one = Members.without(m, "a");
        assertThat(list(one)).containsExactly("b");
        assertThat(list(m)).containsExactly("a", "b"); // a small one is an immutable snapshot
        assertThat(Members.without(one, "b")).isNull();
        assertThat(Members.without(null, "b")).isNull();
    }

    @Test
    void pastSmallItBecomesAConcurrentSetAndStaysCorrect() {
        Members<String> m = null;
        for (int i = 0; i < 50; i++) m = Members.with(m, "m" + i);
        assertThat(m.size()).isEqualTo(50);
        Set<String> seen = new HashSet<>();
        m.forEach(seen::add);
        assertThat(seen).hasSize(50).contains("m0", "m49");
        for (int i = 0; i < 49; i++) m = Members.without(m, "m" + i);
        assertThat(list(m)).containsExactly("m49");
        assertThat(m.toArray()).containsExactly("m49");
        assertThat(Members.without(m, "m49")).isNull();
    }

    @Test
    void anIndexChangedFromManyThreadsInComputeEndsExact() throws Exception {
        ConcurrentHashMap<String, Members<Integer>> index = new ConcurrentHashMap<>();
        int threads = 4, each = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    int member = base + i;
                    String key = "k" + (i % 3);
                    index.compute(key, (k, m) -> Members.with(m, member));
                    // readers outside compute see a consistent set
                    Members<Integer> now = index.get(key);
                    if (now != null) now.forEach(x -> { });
                    if (i % 2 == 0) index.computeIfPresent(key, (k, m) -> Members.without(m, member));
                }
            }));
        }
        start.countDown();
        for (Thread t : ts) t.join();
        int total = 0;
        for (Members<Integer> m : index.values()) {
            for (Integer x : m) assertThat(x % 2).isEqualTo(1); // only the odd ones, never removed, are left
            total += m.size();
        }
        assertThat(total).isEqualTo(threads * each / 2);
    }
}
