-- Schema version 2: the open sessions of one owner are counted at every create (the sessions-per-principal limit,
-- docs/limits.md), through this index rather than a scan of every session.
CREATE INDEX sessions_by_owner ON sessions (owner, status, expires_at_ms);
