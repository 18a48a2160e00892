/** @module test/contract/sqlite-store.test: the QueueStore contract against SqliteStore, plus durability and schema checks. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION, SQLITE_FILE_NAME, SqliteStore, openStore } from '../../src/persistence/index.ts';
import { messageRecord, queueRecord, queueStoreContract } from './queue-store.contract.ts';
import { payloadsOf } from './queue-store.contract.ts';

const makeTempDir = () => mkdtempSync(join(tmpdir(), 'mqs-sqlite-store-'));

queueStoreContract({
  name: 'SqliteStore',
  keepsPayloads: false,
  isDurable: true,
  createSubject: () => {
    const dataDir = makeTempDir();
    return {
      open: () => new SqliteStore({ dataDir }),
      dispose: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
});

queueStoreContract({
  name: 'SqliteStore with sync full',
  keepsPayloads: false,
  isDurable: true,
  createSubject: () => {
    const dataDir = makeTempDir();
    return {
      open: () => openStore({ kind: 'sqlite', dataDir, sync: 'full' }),
      dispose: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
});

describe('SqliteStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the data directory with its parents and mqs.sqlite in it', () => {
    const dataDir = join(dir, 'a', 'b');
    const store = openStore({ kind: 'sqlite', dataDir });
    assert.ok(store instanceof SqliteStore);
    assert.equal(store.path, join(dataDir, SQLITE_FILE_NAME));
    store.close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('page_size', { simple: true }), 8192);
    db.close();
  });

  it('leaves body and attributes out of load() and serves them through loadDetails', () => {
    const store = new SqliteStore({ dataDir: dir });
    store.apply([{ type: 'messageSent', message: messageRecord(1, 'q', { body: 'big', messageAttributes: { a: { dataType: 'String', stringValue: 'v' } } }) }]);
    const [meta] = [...store.load().messages];
    assert.ok(meta);
    assert.equal('body' in meta, false);
    assert.equal('messageAttributes' in meta, false);
    assert.equal(payloadsOf(store, [1]).get(1)?.body, 'big');
    store.close();
  });

  it('can be closed twice', () => {
    const store = new SqliteStore({ dataDir: dir });
    store.close();
    assert.doesNotThrow(() => store.close());
  });

  it('refuses to open a data directory that another store holds open', () => {
    const first = new SqliteStore({ dataDir: dir });
    assert.throws(() => new SqliteStore({ dataDir: dir, busyTimeoutMs: 0 }), /in use by another process/);
    first.close();
    const again = new SqliteStore({ dataDir: dir, busyTimeoutMs: 0 });
    again.close();
  });

  it('folds thousands of receives and deletes into the same state, before and after a reopen', () => {
    // 3,000 messages, each received (some twice), two in three deleted: the logs pass the compaction threshold
    // several times, and what is left in them at the end is folded by load().
    const store = new SqliteStore({ dataDir: dir });
    const count = 3_000;
    store.apply([{ type: 'queueCreated', queue: queueRecord('q') }]);
    for (let first = 1; first <= count; first += 10) {
      store.apply(Array.from({ length: 10 }, (_, i) => ({ type: 'messageSent' as const, message: messageRecord(first + i, 'q') })));
    }
    const expected = new Map<number, { visibleAt: number; receiveCount: number; firstReceiveAt: number }>();
    for (let first = 1; first <= count; first += 100) {
      // Keys a hundred apart, as a FIFO consumer takes one group's messages.
      const keys = Array.from({ length: 100 }, (_, i) => first + ((i * 37) % 100));
      store.apply(keys.map((key) => ({ type: 'messageUpdated' as const, key, visibleAt: 1_000 + key, receiveCount: 1, firstReceiveAt: 500 + key })));
      for (const key of keys) expected.set(key, { visibleAt: 1_000 + key, receiveCount: 1, firstReceiveAt: 500 + key });
      const again = keys.filter((key) => key % 5 === 0);
      store.apply(again.map((key) => ({ type: 'messageUpdated' as const, key, visibleAt: 9_000 + key, receiveCount: 2, firstReceiveAt: 500 + key })));
      for (const key of again) expected.set(key, { visibleAt: 9_000 + key, receiveCount: 2, firstReceiveAt: 500 + key });
      const deleted = keys.filter((key) => key % 3 !== 0);
      store.apply(deleted.map((key) => ({ type: 'messageDeleted' as const, key })));
      for (const key of deleted) expected.delete(key);
    }
    const check = (subject: SqliteStore) => {
      const loaded = [...subject.load().messages].map((m) => [m.key, { visibleAt: m.visibleAt, receiveCount: m.receiveCount, firstReceiveAt: m.firstReceiveAt }]);
      assert.deepEqual(loaded, [...expected].sort(([a], [b]) => a - b));
      assert.deepEqual([...subject.loadDetails([1, 2, 3, 4, 5, 6]).keys()].sort((a, b) => a - b), [3, 6], 'deleted keys have no details');
    };
    // Without a reopen first: the deleted keys are still in the logs here, not yet folded.
    assert.deepEqual([...store.loadDetails([1, 2, 3]).keys()], [3]);
    check(store);
    store.close();
    const reopened = new SqliteStore({ dataDir: dir });
    check(reopened);
    reopened.close();
    const db = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
    assert.equal(db.prepare('SELECT count(*) FROM receipts').pluck().get(), 0, 'load() folded the receive log');
    assert.equal(db.prepare('SELECT count(*) FROM tombstones').pluck().get(), 0, 'load() folded the delete log');
    db.close();
  });

  it('migrates a version 1 database (through 2 and 3) and keeps its messages', () => {
    const db = new Database(join(dir, SQLITE_FILE_NAME));
    db.pragma('journal_mode = WAL');
    db.exec(readFileSync(new URL('../../src/persistence/schema.sql', import.meta.url), 'utf8'));
    // A queue and one received message, as version 1 wrote them.
    db.prepare("INSERT INTO queues (name, settings, tags, created_at, last_modified_at) VALUES ('q', ?, '{}', 1, 1)").run(
      JSON.stringify(queueRecord('q').settings),
    );
    db.prepare(
      'INSERT INTO messages (key, queue_name, message_id, md5_of_body, sender_id, sent_at, enqueued_at, visible_at, receive_count, body) ' +
        "VALUES (1, 'q', 'id-1', 'md5', 'AIDAEXAMPLE', 1, 1, 42, 3, 'kept')",
    ).run();
    db.pragma('user_version = 1');
    db.close();
    const store = new SqliteStore({ dataDir: dir });
    const [message] = [...store.load().messages];
    assert.equal(message?.receiveCount, 3);
    assert.equal(message?.visibleAt, 42);
    assert.equal(payloadsOf(store, [1]).get(1)?.body, 'kept');
    store.apply([{ type: 'messageUpdated', key: 1, visibleAt: 43, receiveCount: 4 }]);
    assert.equal([...store.load().messages][0]?.receiveCount, 4, 'the new logs work on the migrated file');
    store.apply([{ type: 'messageDeleted', key: 1 }]);
    assert.equal(store.load().nextKey, 2, 'the key high-water mark starts above the keys the file held');
    store.close();
    const check = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    check.close();
  });

  it('refuses a database whose schema is newer than the code', () => {
    const db = new Database(join(dir, SQLITE_FILE_NAME));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => new SqliteStore({ dataDir: dir }), /newer than this mqs/);
  });

  it('refuses a file that is not an mqs database', () => {
    const db = new Database(join(dir, SQLITE_FILE_NAME));
    db.exec('CREATE TABLE unrelated (x)');
    db.close();
    assert.throws(() => new SqliteStore({ dataDir: dir }), /not an mqs database/);
  });

  it('keeps every batch whose apply() returned when the process is killed with SIGKILL', () => {
    // A child process applies batches, says so, and kills itself without closing the database: no
    // checkpoint, no clean shutdown. Everything it reported as applied must load afterwards.
    const storeUrl = pathToFileURL(join(import.meta.dirname, '../../src/persistence/index.ts')).href;
    const script = join(dir, 'crash.ts');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(storeUrl)};
const store = openStore({ kind: 'sqlite', dataDir: ${JSON.stringify(join(dir, 'data'))} });
store.apply([{ type: 'queueCreated', queue: ${JSON.stringify(queueRecord('q'))} }]);
for (let key = 1; key <= 200; key++) {
  store.apply([{ type: 'messageSent', message: { ...${JSON.stringify(messageRecord(0, 'q'))}, key, body: 'm' + key } }]);
}
store.apply([{ type: 'messageDeleted', key: 1 }]);
process.stdout.write('applied\\n');
process.kill(process.pid, 'SIGKILL');
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.equal(child.stdout, 'applied\n');
    const store = new SqliteStore({ dataDir: join(dir, 'data') });
    const snapshot = store.load();
    assert.deepEqual(snapshot.queues, [queueRecord('q')]);
    assert.deepEqual(
      [...snapshot.messages].map((m) => m.key),
      Array.from({ length: 199 }, (_, i) => i + 2),
    );
    assert.equal(payloadsOf(store, [200]).get(200)?.body, 'm200');
    store.close();
  });

  it('forgets dedup records that expired a full dedup window before later ones were recorded', () => {
    const store = new SqliteStore({ dataDir: dir });
    const record = (dedupKey: string, expiresAt: number) => ({ queueName: 'q.fifo', dedupKey, messageId: dedupKey, expiresAt });
    const T = Date.UTC(2026, 0, 1);
    store.apply([{ type: 'dedupRecorded', record: record('old', T) }]);
    // Recorded 11 minutes later: 'old' expired 6 minutes ago, more than one 5-minute window.
    for (let i = 0; i < 64; i++) store.apply([{ type: 'dedupRecorded', record: record(`new-${i}`, T + 11 * 60_000 + i) }]);
    const keys = store.load().dedup.map((d) => d.dedupKey);
    assert.equal(keys.includes('old'), false);
    assert.equal(keys.length, 64);
    store.close();
  });
});
