package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.dialect.spi.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference.conf fragment's defaults, and refusals that name their key. */
class ProgressSettingsTest {
    @TempDir Path dir;

    static Settings section(String overrides) {
        ProgressProvider p = new ProgressProvider();
        Config fragment = ConfigFactory.parseResources(p.referenceConf());
        Config root = ConfigFactory.parseString(overrides)
                .withFallback(fragment)
                .withFallback(ConfigFactory.parseString("agentwire.http.host = \"0.0.0.0\""))
                .resolve();
        return new Settings(root, "agentwire." + p.name());
    }

    @Test
    void defaultsAreSpec001s() {
        ProgressProvider p = new ProgressProvider();
        Settings s = section("");
        assertThat(p.enabled(s)).isTrue();
        ProgressSettings d = p.settings(s);
        assertThat(d.address().host()).isEqualTo("0.0.0.0");
        assertThat(d.address().port()).isEqualTo(5001);
        assertThat(d.socketIo().engineIo().path()).isEqualTo("/socket.io/");
        assertThat(d.socketIo().engineIo().maxPayload()).isEqualTo(1_000_000);
        assertThat(d.socketIo().engineIo().pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(d.socketIo().engineIo().cors().origins()).containsExactly("*");
        assertThat(d.socketIo().recovery().enabled()).isTrue();
        assertThat(d.requireToken()).isFalse();
        assertThat(d.agent()).isNull();
        assertThat(d.staticDir()).isEmpty();
        assertThat(d.memoryMessages()).isEqualTo(10);
        assertThat(p.durableStreams(d)).containsExactly("progress:memory:");
    }

    @Test
    void overridesAreRead() {
        ProgressSettings d = new ProgressProvider().settings(section("agentwire.progress { port = 0, agent = toolsmith, "
                + "require-token = true, static-dir = \"" + dir + "\", cors-origins = \"http://a.test, http://b.test\" }"));
        assertThat(d.address().port()).isZero();
        assertThat(d.agent()).isEqualTo("toolsmith");
        assertThat(d.requireToken()).isTrue();
        assertThat(d.staticDir()).contains(dir.toAbsolutePath().normalize());
        assertThat(d.socketIo().engineIo().cors().origins()).isEqualTo(List.of("http://a.test", "http://b.test"));
    }

    @Test
    void badValuesNameTheirKey() {
        ProgressProvider p = new ProgressProvider();
        assertThatThrownBy(() -> p.settings(section("agentwire.progress.port = 70000")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("agentwire.progress.port:");
        assertThatThrownBy(() -> p.settings(section("agentwire.progress.static-dir = \"" + dir.resolve("nope") + "\"")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("agentwire.progress.static-dir: not a directory");
        assertThatThrownBy(() -> p.settings(section("agentwire.progress.query-burst = 0")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("agentwire.progress.query-burst:");
        assertThatThrownBy(() -> p.settings(section("agentwire.progress.max-payload = 10")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("max");
    }
}
