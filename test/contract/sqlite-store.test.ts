/** @module test/contract/sqlite-store.test: the QueueStore contract against SqliteStore, plus durability and schema checks. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
