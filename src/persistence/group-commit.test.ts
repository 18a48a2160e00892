import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EngineEvent } from '../engine/index.ts';
import { messageRecord, queueRecord } from '../../test/contract/queue-store.contract.ts';
import { GroupCommitStore } from './group-commit.ts';
import { SqliteStore } from './sqlite-store.ts';

const QUEUE = queueRecord('q');

function sent(key: number, body = `body ${key}`): EngineEvent {
  return { type: 'messageSent', message: messageRecord(key, 'q', { body }) };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommitStore over SQLite', () => {
  let dataDir: string;
  let errors: unknown[];
  let store: GroupCommitStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mqs-group-commit-'));
    errors = [];
    store = new GroupCommitStore(new SqliteStore({ dataDir }), (error) => errors.push(error));
  });
  afterEach(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('commits every apply of one turn in one transaction, then settles the waiters', async () => {
    store.apply([{ type: 'queueCreated', queue: QUEUE }]);
    const first = store.whenCommitted();
    store.apply([sent(1)]);
    store.apply([sent(2), sent(3)]);
    const last = store.whenCommitted();
    assert.ok(first !== undefined && last !== undefined);
    assert.equal(store.commitCount, 0, 'nothing is committed inside the turn');
    await Promise.all([first, last]);
    assert.equal(store.commitCount, 1);
    assert.equal(store.whenCommitted(), undefined, 'nothing is left to wait for');
    store.close();
    const reopened = new SqliteStore({ dataDir });
    try {
      assert.deepEqual([...reopened.load().messages].map((m) => m.key), [1, 2, 3]);
    } finally {
      reopened.close();
    }
    store = new GroupCommitStore(new SqliteStore({ dataDir }));
  });

  it('reads a message queued this turn (it commits first) and answers for keys it lacks with nothing', () => {
    store.apply([{ type: 'queueCreated', queue: QUEUE }, sent(7, 'fresh')]);
    const details = store.loadDetails([7, 8]);
    assert.equal(details.get(7)?.body, 'fresh');
    assert.equal(details.has(8), false);
    assert.equal(store.commitCount, 1);
    assert.equal(store.whenCommitted(), undefined);
  });

  it('rejects the waiters of a failed commit, reports it once, and writes nothing after it', async () => {
    store.apply([{ type: 'queueCreated', queue: QUEUE }, sent(1)]);
    await store.whenCommitted();
    store.apply([sent(1)]); // the same key again: the SQLite primary key refuses the whole transaction
    const failed = store.whenCommitted();
    await assert.rejects(failed!, /already exists/);
    assert.equal(errors.length, 1);
    store.apply([sent(2)]);
    await assert.rejects(store.whenCommitted()!, /already exists/, 'a failed store stays failed');
    await nextTurn();
    assert.equal(errors.length, 1);
    assert.deepEqual([...store.load().messages].map((m) => m.key), [1], 'nothing was written after the failure');
  });

  it('commits what is queued on close', () => {
    store.apply([{ type: 'queueCreated', queue: QUEUE }, sent(4)]);
    store.close();
    const reopened = new SqliteStore({ dataDir });
    try {
      assert.deepEqual([...reopened.load().messages].map((m) => m.key), [4]);
    } finally {
      reopened.close();
    }
    store = new GroupCommitStore(new SqliteStore({ dataDir }));
  });

  it('commits at once when a turn queues more than its bound', async () => {
    store.apply([{ type: 'queueCreated', queue: QUEUE }]);
    store.apply(Array.from({ length: 10_000 }, (_, i) => sent(i + 1, 'x')));
    assert.equal(store.commitCount, 1, 'the bound was reached inside the turn');
    await nextTurn();
    assert.equal(store.commitCount, 1);
    assert.equal([...store.load().messages].length, 10_000);
  });
});
