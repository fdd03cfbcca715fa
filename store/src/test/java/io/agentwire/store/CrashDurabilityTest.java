package io.agentwire.store;

import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Publication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 3 of DESIGN.md: an append acknowledged to its publisher survives the process being killed. */
@Tag("integration")
class CrashDurabilityTest {
    static final int ACKS_BEFORE_KILL = 300;

    @TempDir Path dir;

    @Test
    void acknowledgedAppendsSurviveSigkillAndOffsetsAreNotReused() throws Exception {
        Path data = dir.resolve("data");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                AppendLoopMain.class.getName(), data.toString())
                .redirectError(dir.resolve("child-stderr.txt").toFile())
                .start();

        List<Long> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ERR")) throw new AssertionError("child failed an append: " + line);
                if (!line.startsWith("ACK ")) continue;
                acked.add(Long.parseLong(line.substring(4).trim()));
                if (acked.size() == ACKS_BEFORE_KILL) {
                    // SIGKILL (no shutdown hook, no close, likely mid-batch). Through the handle, because
                    // Process.destroyForcibly() would also close our end of the pipe.
                    child.toHandle().destroyForcibly();
                }
            } // after the kill, read what the child had already written: those were acknowledged too
        }
        child.waitFor();
        assertThat(acked).as("the child ran (see child-stderr.txt)").hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(acked).as("acknowledged in offset order").isSorted();
        long maxAcked = acked.getLast();

        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(data))) {
            long top = store.eventLog().top(AppendLoopMain.STREAM).offset();
            System.out.println("acked " + acked.size() + " max " + maxAcked + " stored " + top);
            assertThat(top).isGreaterThanOrEqualTo(maxAcked);
            List<Publication> stored = store.eventLog().read(AppendLoopMain.STREAM, 0, Integer.MAX_VALUE);
            assertThat(stored).extracting(Publication::offset)
                    .as("contiguous from 1, every acknowledged offset present")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, top).boxed().toList())
                    .containsAll(acked);
            assertThat(stored.get((int) maxAcked - 1).data().get("i").asLong()).isEqualTo(maxAcked - 1);

            Publication next = store.eventLog().append(AppendLoopMain.STREAM, json("after", "crash")).join();
            assertThat(next.offset()).as("no offset is reused").isEqualTo(top + 1);
        }
    }
}
