-- @module persistence/schema-2: user_version 1 -> 2. Receives and deletes are appended to two logs instead of
-- updating and deleting message rows in place; sqlite-store.ts folds the logs into `messages` in bulk (compaction).
--
-- Why: a FIFO consumer takes a group's messages, which lie far apart in key order (one group in a hundred), so
-- updating or deleting ten of them wrote ten b-tree pages (80 KiB of WAL) per request. Appending writes one page;
-- by the time the logs are folded in, most of those messages are deleted and whole pages go at once. Measured
-- with bench/store-bench.ts-style traffic (100 groups, batches of 10): 30-35 -> 13-15 µs of store CPU per message.

-- The latest row of a key holds its state (visible_at, receive_count, first_receive_at); older ones are dead.
-- Rows of keys deleted (or moved to another key) since are dead too.
CREATE TABLE receipts (
  seq              INTEGER PRIMARY KEY,  -- appending order
  key              INTEGER NOT NULL,
  visible_at       INTEGER NOT NULL,
  receive_count    INTEGER NOT NULL,
  first_receive_at INTEGER
);

-- Keys of deleted messages whose `messages` row is still there (reads skip them). Keys are never reused before a
-- compaction: the store compacts when it loads, before the engine picks its next key. The key is the rowid: the
-- keys a request deletes lie within a few thousand of each other, so they share a page of this tiny b-tree.
CREATE TABLE tombstones (
  key INTEGER PRIMARY KEY
);
