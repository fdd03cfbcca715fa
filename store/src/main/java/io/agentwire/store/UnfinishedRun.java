package io.agentwire.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A run found in a session's stored events without its {@code pipeline.completed}. */
public record UnfinishedRun(String sessionId, String runId) {
    private static final String SQL = """
            SELECT substr(e.stream, 9) AS session_id, json_extract(e.data, '$.metadata.run_id') AS run_id
            FROM events e JOIN sessions s ON s.id = substr(e.stream, 9)
            WHERE e.stream LIKE 'session:%' AND s.expires_at_ms > ?
              AND json_extract(e.data, '$.metadata.run_id') IS NOT NULL
            GROUP BY e.stream, run_id
            HAVING SUM(json_extract(e.data, '$.event') = 'pipeline.completed') = 0
            ORDER BY MIN(e.offset)
            """;

    static List<UnfinishedRun> query(Connection c) throws SQLException {
        List<UnfinishedRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setLong(1, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new UnfinishedRun(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }
}
