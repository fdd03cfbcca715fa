package io.agentwire.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/** The {@code meta} table (facts about the database file) and the PRAGMAs reported at start. */
final class Meta {
    private static final String CREATE_EPOCH = "INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?)";
    private static final String EPOCH = "SELECT value FROM meta WHERE key = 'epoch'";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Meta() { }

    /**
     * The database's epoch: written once, by the first open of a new file (64 random bits in hex), and read
     * back by every later open. A lost or replaced file therefore gets a new epoch.
     */
    static String epoch(Connection c) throws SQLException {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        try (PreparedStatement ps = c.prepareStatement(CREATE_EPOCH)) {
            ps.setString(1, HexFormat.of().formatHex(bytes));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(EPOCH); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("meta table holds no epoch");
            return rs.getString(1);
        }
    }

    /** Replaces the database's epoch with a new random one (its history can no longer be trusted as stored). */
    static String newEpoch(Connection c) throws SQLException {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        String epoch = HexFormat.of().formatHex(bytes);
        try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'epoch'")) {
            ps.setString(1, epoch);
            if (ps.executeUpdate() != 1) throw new SQLException("meta table holds no epoch");
        }
        return epoch;
    }

    static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    /** {@code PRAGMA synchronous} answers a number; this names it. */
    static String synchronousName(String level) {
        return switch (level) {
            case "0" -> "OFF";
            case "1" -> "NORMAL";
            case "2" -> "FULL";
            case "3" -> "EXTRA";
            default -> level;
        };
    }
}
