package io.agentwire.dialect.progress;

import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectProvider;
import io.agentwire.dialect.spi.Settings;
import java.util.List;

/** The {@code progress} dialect's provider: section {@code agentwire.progress}, durable session memory. */
public final class ProgressProvider implements DialectProvider<ProgressSettings> {

    /** The dialect's section and its metrics' {@code dialect} tag. */
    static final String NAME = "progress";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProgressSettings settings(Settings section) {
        return ProgressSettings.read(section);
    }

    /** Each session's messages ({@code progress:memory:<session_id>}) survive restarts, on SQLite and on Redis. */
    @Override
    public List<String> durableStreams(ProgressSettings settings) {
        return List.of(SessionMemory.PREFIX);
    }

    @Override
    public Dialect create(DialectContext context, ProgressSettings settings) {
        return new ProgressDialect(context, settings);
    }
}
