-- @module persistence/schema: the SQLite schema of the data directory, version 1 (schema-2.sql and later files migrate it).
-- Applied once to an empty database by sqlite-store.ts, which then sets user_version.
-- A later version adds a migration step there; a database newer than the code is refused.

CREATE TABLE queues (
  name             TEXT PRIMARY KEY,
  settings         TEXT NOT NULL,   -- QueueSettings as JSON
  tags             TEXT NOT NULL,   -- Record<string, string> as JSON
  created_at       INTEGER NOT NULL,
  last_modified_at INTEGER NOT NULL,
  last_purged_at   INTEGER
);

-- One row per message. The metadata columns come first and body/attributes last: a scan that reads
-- only the metadata (load at start-up) then never touches the overflow pages of large bodies.
CREATE TABLE messages (
  key                  INTEGER PRIMARY KEY,  -- engine-wide increasing; also the rowid, so key order is enqueue order
  queue_name           TEXT NOT NULL,
  message_id           TEXT NOT NULL,
  md5_of_body          TEXT NOT NULL,
  md5_of_attributes    TEXT,
  trace_header         TEXT,
  sender_id            TEXT NOT NULL,
  sent_at              INTEGER NOT NULL,
  enqueued_at          INTEGER NOT NULL,
  visible_at           INTEGER NOT NULL,
  receive_count        INTEGER NOT NULL,
  first_receive_at     INTEGER,
  group_id             TEXT,
  dedup_id             TEXT,
  sequence_number      TEXT,
  dlq_source_arn       TEXT,
  body                 TEXT NOT NULL,
  attributes           TEXT             -- MessageAttributeMap as JSON, binary values base64; NULL when empty
);
-- Serves queueDeleted and queuePurged without a full scan.
CREATE INDEX messages_by_queue ON messages (queue_name);

-- Append-only: recording a key again appends a row, and the latest row per (queue_name, dedup_key) wins on
-- load. Appending to the rowid b-tree costs one page per batch, where a (queue_name, dedup_key) primary key
-- costs a random page per record (measured ~40% of a FIFO send's store cost). Rows arrive in about expiry
-- order, so the prune deletes a prefix of the table in rowid order and needs no index.
CREATE TABLE dedup (
  seq             INTEGER PRIMARY KEY,  -- recording order
  queue_name      TEXT NOT NULL,
  dedup_key       TEXT NOT NULL,        -- may contain U+0000 (messageGroup scope: group NUL dedupId)
  message_id      TEXT NOT NULL,
  sequence_number TEXT,
  expires_at      INTEGER NOT NULL
);

CREATE TABLE move_tasks (
  task_handle TEXT PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  task        TEXT NOT NULL        -- MoveTaskRecord as JSON
);
