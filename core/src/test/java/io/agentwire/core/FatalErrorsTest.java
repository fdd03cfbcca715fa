package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 17, finding 9: a JVM out of memory exits and says why instead of limping on. */
@Tag("integration")
class FatalErrorsTest {

    @AfterEach
    void restore() {
        FatalErrors.halting(code -> Runtime.getRuntime().halt(code), System.err);
    }

    @Test
    void anOutOfMemoryErrorOrOneCausedByItHalts() {
        List<Integer> halted = new ArrayList<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FatalErrors.halting(halted::add, new PrintStream(err, true, StandardCharsets.UTF_8));

        FatalErrors.check(new IllegalStateException("not fatal"), "here");
        assertThat(halted).isEmpty();
        FatalErrors.check(new RuntimeException("wrapped", new OutOfMemoryError("Java heap space")), "the test");
        assertThat(halted).containsExactly(FatalErrors.EXIT_CODE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("out of memory in the test (Java heap space)");
    }

    /** A real JVM with a 32 MB heap whose worker thread runs out of memory: the process ends with code 3. */
    @Test
    void aProcessWhoseThreadRunsOutOfMemoryExitsWithCode3() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                OomVictim.class.getName()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(FatalErrors.EXIT_CODE);
        assertThat(out).contains("agentwire: out of memory in thread hog").doesNotContain("still running");
    }

    /** Installs the handler, lets one thread eat the heap, and would print "still running" if it survived. */
    public static final class OomVictim {
        public static void main(String[] args) throws Exception {
            FatalErrors.install();
            Thread hog = new Thread(() -> {
                List<long[]> eaten = new ArrayList<>();
                while (true) eaten.add(new long[1 << 16]);
            }, "hog");
            hog.start();
            hog.join();
            Thread.sleep(2_000);
            System.out.println("still running");
        }
    }
}
