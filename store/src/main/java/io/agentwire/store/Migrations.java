package io.agentwire.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema up to date with Flyway, from {@code db/migration/sqlite/V<n>__<what>.sql} on the
 * class path. Migrations are append-only: a released script is never edited, a change is a new version.
 */
final class Migrations {
    static final String LOCATION = "classpath:db/migration/sqlite";
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() { }

    static void migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("store schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }
}
