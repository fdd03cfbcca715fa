package io.agentwire.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens connections to the database file with the store's PRAGMAs: WAL journal, the configured synchronous
 * level and busy timeout. Writes use {@code BEGIN IMMEDIATE} (issued by {@link WriteConnection}); reads use
 * read-only connections that see the last committed snapshot.
 */
final class ConnectionFactory {
    private final String url;
    private final SqliteStoreConfig config;

    ConnectionFactory(SqliteStoreConfig config) {
        this.config = config;
        this.url = "jdbc:sqlite:" + config.databaseFile().toAbsolutePath().normalize();
    }

    Path file() {
        return config.databaseFile().toAbsolutePath().normalize();
    }

    /** The connection that writes (the only one per process); auto-commit, transactions are explicit. */
    Connection openWrite() throws SQLException {
        return base(false).createConnection(url);
    }

    Connection openRead() throws SQLException {
        return base(true).createConnection(url);
    }

    /** A data source with the same settings, for Flyway (which opens and closes its own connections). */
    DataSource dataSource() {
        SQLiteDataSource ds = new SQLiteDataSource(base(false));
        ds.setUrl(url);
        return ds;
    }

    private SQLiteConfig base(boolean readOnly) {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(switch (config.synchronous()) {
            case FULL -> SQLiteConfig.SynchronousMode.FULL;
            case NORMAL -> SQLiteConfig.SynchronousMode.NORMAL;
        });
        c.setBusyTimeout((int) config.busyTimeout().toMillis());
        c.setReadOnly(readOnly);
        return c;
    }
}
