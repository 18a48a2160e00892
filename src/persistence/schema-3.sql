-- @module persistence/schema-3: user_version 2 -> 3. The database remembers the next message key it may hand out.
--
-- Why: a receipt handle names a message by its key and receive count. When the message with the highest key was
-- deleted and the server restarted, the engine used to take the next key from the rows left (max + 1), so a new
-- message got the deleted one's key, and the deleted message's old handle then deleted or hid the new message.
-- Keys must never come back. sqlite-store.ts raises `next_key` to above the largest key in `messages` before it
-- deletes message rows (log folds, purges, queue deletes), and load() hands it to the engine.

CREATE TABLE key_high_water (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  next_key INTEGER NOT NULL
);
-- A migrated file cannot know the keys it deleted before; it starts above the keys it still holds.
INSERT INTO key_high_water (id, next_key) SELECT 1, coalesce(max(key), 0) + 1 FROM messages;
