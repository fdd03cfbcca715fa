package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublicationTest {
    private static Publication publication() {
        return new Publication("s", 1, "e", 1_000L, JsonNodeFactory.instance.objectNode().put("i", 1));
    }

    /** A broadcast's recipients each keep the publication's position: one instance, not one per recipient. */
    @Test
    void itsPositionIsOneInstanceWithItsOffsetAndEpoch() {
        Publication p = new Publication("s", 7, "e1", 1_000L, JsonNodeFactory.instance.objectNode());
        StreamPosition at = p.position();
        assertThat(at).isEqualTo(new StreamPosition(7, "e1"));
        assertThat(p.position()).isSameAs(at);
    }

    @Test
    void eachFormatIsEncodedOnceWhateverTheThreadsThatAskAndEveryoneGetsThatOne() throws Exception {
        Publication p = publication();
        AtomicInteger textEncodes = new AtomicInteger(), lengthEncodes = new AtomicInteger();
        WireFormat<String> text = q -> {
            textEncodes.incrementAndGet();
            return new String(q.data().toString());
        };
        WireFormat<Integer> length = q -> {
            lengthEncodes.incrementAndGet();
            return q.data().toString().length();
        };
        List<Object> got = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    got.add(p.encoded(text));
                    p.encoded(length);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertThat(textEncodes).hasValue(1);
        assertThat(lengthEncodes).hasValue(1);
        assertThat(got).hasSize(8_000).allSatisfy(s -> assertThat(s).isSameAs(got.getFirst()));
        assertThat(p.encoded(length)).isEqualTo(7);
    }

    @Test
    void aFormatThatAsksForAnotherFormatOfTheSamePublicationKeepsBoth() {
        Publication p = publication();
        AtomicInteger inner = new AtomicInteger();
        WireFormat<String> body = q -> {
            inner.incrementAndGet();
            return q.data().toString();
        };
        WireFormat<String> framed = q -> "[" + q.encoded(body) + "]";
        assertThat(p.encoded(framed)).isEqualTo("[{\"i\":1}]");
        assertThat(p.encoded(body)).isEqualTo("{\"i\":1}");
        assertThat(p.encoded(framed)).isEqualTo("[{\"i\":1}]");
        assertThat(inner).hasValue(1);
    }
}
