/** @module test/functions/producer-offline.test — producer payload validation, retries against an endpoint that refuses connections, and the deadline stop. */

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createProducerHandler, parseProducerPayload } from '../../src/functions/producer.ts';
import { InvalidProducerPayloadError } from '../../src/functions/shared/errors.ts';
import { captureJsonLines, contextFactory, logLines } from './factories.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function issuesOf(payload: unknown): readonly string[] {
  try {
    parseProducerPayload(payload);
  } catch (error) {
    if (error instanceof InvalidProducerPayloadError) return error.issues;
    throw error;
  }
  assert.fail(`expected ${JSON.stringify(payload)} to be rejected`);
}

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('parseProducerPayload', () => {
  it('accepts count and groups and makes up a run id when none is given', () => {
    assert.deepEqual(parseProducerPayload({ count: 10, groups: 3 }, () => 'fresh'), { count: 10, groups: 3, runId: 'fresh' });
    assert.deepEqual(parseProducerPayload({ count: 10, groups: 10, runId: 'run-1', poisonEvery: 4 }), { count: 10, groups: 10, runId: 'run-1', poisonEvery: 4 });
    assert.match(parseProducerPayload({ count: 1, groups: 1 }).runId, /^[0-9a-f-]{36}$/);
  });

  it('rejects a payload that is not an object', () => {
    for (const payload of [null, 5, '{"count":1}', [1]]) assert.equal(issuesOf(payload).length, 1);
  });

  it('rejects count and groups outside their ranges, naming the field and the value', () => {
    assert.match(issuesOf({ count: 0, groups: 1 }).join(), /count must be an integer from 1 to 1000000, got 0/);
    assert.match(issuesOf({ count: 1_000_001, groups: 1 }).join(), /count/);
    assert.match(issuesOf({ count: 2.5, groups: 1 }).join(), /count/);
    assert.match(issuesOf({ count: '10', groups: 1 }).join(), /got "10"/);
    assert.match(issuesOf({ count: 10, groups: 11 }).join(), /groups must be an integer from 1 to count \(10\), got 11/);
    assert.match(issuesOf({ count: 10 }).join(), /groups .* got undefined/);
  });

  it('rejects run ids outside the deduplication-id charset, with ":" or longer than 64', () => {
    for (const runId of ['', 'has space', 'a:b', 'x'.repeat(65), 'é', 7]) assert.match(issuesOf({ count: 1, groups: 1, runId }).join(), /runId/);
    assert.equal(parseProducerPayload({ count: 1, groups: 1, runId: `${'x'.repeat(63)}!` }).runId.length, 64);
  });

  it('rejects unknown fields and reports every problem at once', () => {
    const issues = issuesOf({ count: -1, group: 5, poisonEvery: 0 });
    assert.equal(issues.length, 4);
    assert.match(issues.join(), /unknown field "group"/);
  });
});

describe('producer without a reachable queue', () => {
  it('retries every entry up to SEND_MAX_ATTEMPTS, then counts it and the rest of its order as failed', async () => {
    // Prepare: 30 events over 30 groups → 3 lanes of 10 groups, one batch each per attempt.
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const client = new SQSClient({ region: 'us-east-1', endpoint: url, maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const waits: number[] = [];
    const produce = createProducerHandler({
      env: { QUEUE_URL: `${url}/000000000000/orders.fifo`, SEND_MAX_ATTEMPTS: '2' },
      client,
      sleep: async (ms) => void waits.push(ms),
      random: () => 1,
      backoff: { baseMs: 10, maxMs: 1000 },
    });
    // Act
    const { result, error, lines } = await captureJsonLines(() => produce({ count: 30, groups: 30, runId: 'offline-1' }));
    client.destroy();
    // Assess
    assert.equal(error, undefined);
    assert.deepEqual({ ...result, durationMs: 0 }, { sent: 0, failed: 30, batches: 6, durationMs: 0, runId: 'offline-1' });
    assert.deepEqual(waits, [10, 10, 10], 'each lane backs off base * 2^(attempt-1) before its retry');
    const failures = logLines(lines, 'send-failed');
    assert.equal(failures.length, 30);
    assert.ok(failures.every((line) => line.attempts === 2 && line.sequence === 1 && line.withheld === 1));
  });

  it('withholds the later events of a group whose entry gave up, so no order has a gap', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const client = new SQSClient({ region: 'us-east-1', endpoint: url, maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const produce = createProducerHandler({ env: { QUEUE_URL: `${url}/000000000000/orders.fifo`, SEND_MAX_ATTEMPTS: '1' }, client, sleep: async () => undefined });
    const { result, lines } = await captureJsonLines(() => produce({ count: 25, groups: 2, runId: 'offline-2' }));
    client.destroy();
    assert.deepEqual([result?.sent, result?.failed, result?.batches], [0, 25, 1]);
    assert.deepEqual(logLines(lines, 'send-failed').map((line) => [line.group, line.withheld]), [['order-1', 13], ['order-2', 12]]);
  });

  it('stops before the invocation times out and counts what it did not send as failed', async () => {
    const produce = createProducerHandler({ env: { QUEUE_URL: 'http://127.0.0.1:9/000000000000/never-called.fifo' } });
    const { result, lines } = await captureJsonLines(() => produce({ count: 20, groups: 4, runId: 'late' }, contextFactory('mqs-producer', 5_000)));
    assert.deepEqual([result?.sent, result?.failed, result?.batches], [0, 20, 0]);
    assert.ok(logLines(lines, 'send-failed').every((line) => line.code === 'DeadlineReached'));
    assert.deepEqual(logLines(lines, 'produced').map((line) => [line.runId, line.count, line.failed]), [['late', 20, 20]]);
  });

  it('rejects an invalid payload before sending anything', async () => {
    const produce = createProducerHandler({ env: { QUEUE_URL: 'http://127.0.0.1:9/000000000000/never-called.fifo' } });
    await assert.rejects(produce({ count: 5, groups: 6 }), InvalidProducerPayloadError);
  });
});
