package io.agentwire.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with a JDBC connection that the caller lends and takes back. */
@FunctionalInterface
interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
