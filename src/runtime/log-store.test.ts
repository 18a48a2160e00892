/** @module runtime/log-store.test: events survive a reopen, queries narrow them, followers see new ones. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type LogEvent, LogStore } from './log-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'mqs-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const event = (stream: string, timestamp: number, message: string) => ({ group: '/aws/lambda/f', stream, timestamp, message });

describe('LogStore', () => {
  it('keeps events across a close and reopen, in write order', () => {
    const store = new LogStore({ dataDir: dir });
    store.append([event('s1', 1_000, 'START RequestId: a Version: $LATEST\n'), event('s1', 1_001, 'END RequestId: a\n')]);
    store.close();
    const reopened = new LogStore({ dataDir: dir, isReadOnly: true });
    assert.deepEqual(
      reopened.query({ group: '/aws/lambda/f' }).map((stored) => stored.message),
      ['START RequestId: a Version: $LATEST\n', 'END RequestId: a\n'],
    );
    reopened.close();
  });

  it('filters by group, stream, time range and text', () => {
    const store = new LogStore({ inMemory: true });
    store.append([event('s1', 10, 'alpha'), event('s2', 20, 'beta'), event('s1', 30, 'alphabet'), { ...event('s3', 40, 'alpha'), group: '/other' }]);
    const messages = (query: Parameters<LogStore['query']>[0]) => store.query(query).map((stored) => stored.message);
    assert.deepEqual(messages({ group: '/aws/lambda/f', filter: 'alpha' }), ['alpha', 'alphabet']);
    assert.deepEqual(messages({ stream: 's2' }), ['beta']);
    assert.deepEqual(messages({ sinceMs: 20, untilMs: 40 }), ['beta', 'alphabet']);
    assert.deepEqual(messages({ groups: ['/other'] }), ['alpha']);
    assert.deepEqual(store.groups(), ['/aws/lambda/f', '/other']);
    assert.deepEqual(
      store.streams('/aws/lambda/f').map((stream) => [stream.stream, stream.events]),
      [['s1', 2], ['s2', 1]],
    );
    store.close();
  });

  it('delivers new matching events to followers, and nothing that was there before', async () => {
    const store = new LogStore({ inMemory: true });
    store.append([event('s1', 1, 'old')]);
    const seen: LogEvent[] = [];
    let stop = () => {};
    const delivered = new Promise<void>((resolve) => {
      stop = store.follow({ filter: 'REPORT' }, (events) => {
        seen.push(...events);
        resolve();
      });
    });
    store.append([event('s1', 2, 'START'), event('s1', 3, 'REPORT RequestId: b')]);
    await delivered;
    stop();
    assert.deepEqual(seen.map((stored) => stored.message), ['REPORT RequestId: b']);
    store.close();
  });
});
