/**
 * @module test/e2e/system-failures: `mqs start` with failure injection: failed messages are retried (a `failed` line,
 * then `processed` with a higher receiveCount), each group stays in order, poison messages land in the DLQ (read back
 * over the SQS API from the data directory), and verification reports them as in the DLQ, not lost.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LogStore } from '../../src/runtime/index.ts';
import { startServer } from '../../src/server/start-server.ts';
import { runMqs } from './system-cli.ts';

// The SDK warns once per process that it will need Node 22 in 2027; it is noise in test output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const RUN_LIMIT_MS = 180_000;
const MESSAGES = 300;
const GROUPS = 10;
/** Prime to the group count, so the poison messages fall in different groups. */
const POISON_EVERY = 47;

interface RecordLine {
  message: string;
  group: string;
  sequence: number;
  messageId: string;
  receiveCount: number;
  runId: string;
}

/** The producer's poison events: every POISON_EVERY-th, event i in group i mod G + 1 at sequence floor(i / G) + 1. */
const POISONED = Array.from({ length: Math.floor(MESSAGES / POISON_EVERY) }, (_, k) => {
  const i = (k + 1) * POISON_EVERY - 1;
  return `order-${(i % GROUPS) + 1}#${Math.floor(i / GROUPS) + 1}`;
});

const dataDir = mkdtempSync(join(tmpdir(), 'mqs-failures-'));

describe('mqs start with failure injection', { timeout: RUN_LIMIT_MS + 60_000 }, () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('retries failures, keeps each group in order, redrives poison messages to the DLQ and passes verification', async () => {
    const run = await runMqs(
      ['start', '--exit-when-drained', '--port', '0', '--data-dir', dataDir, '--messages', String(MESSAGES), '--groups', String(GROUPS), '--work-ms', '0'].concat(
        ['--failure-rate', '0.1', '--poison-every', String(POISON_EVERY), '--visibility-timeout', '2'],
      ),
      RUN_LIMIT_MS,
    );
    assert.equal(run.code, 0, run.output);
    const verdict = /^verification PASSED: run (\S+): every message sent was processed or is in the DLQ/m.exec(run.output);
    assert.ok(verdict !== null, run.output);
    const runId = verdict[1] ?? '';
    const inDlq = /^ {2}in the DLQ: (\d+) messages? \((\d+) failed on their last allowed receive/m.exec(run.output);
    assert.ok(inDlq !== null, run.output);
    // A poison message usually fails on its own last receive; it can also be redriven behind another one.
    assert.ok(Number(inDlq[2]) >= 1, 'messages failed on their last allowed receive');

    // What the consumers logged.
    const store = new LogStore({ dataDir, isReadOnly: true });
    const lines = store
      .query({ filter: `"runId":"${runId}"` })
      .map((event) => JSON.parse(event.message) as RecordLine)
      .filter((line) => line.message === 'processed' || line.message === 'failed');
    store.close();
    const failedFirst = new Set<string>();
    let retried = 0;
    const firstProcessed = new Map<string, number[]>();
    const processed = new Set<string>();
    for (const line of lines) {
      const key = `${line.group}#${line.sequence}`;
      if (line.message === 'failed') {
        failedFirst.add(line.messageId);
        continue;
      }
      if (failedFirst.has(line.messageId) && line.receiveCount > 1) retried += 1;
      if (processed.has(key)) continue;
      processed.add(key);
      firstProcessed.set(line.group, [...(firstProcessed.get(line.group) ?? []), line.sequence]);
    }
    assert.ok(retried > 0, 'some failed messages were processed on a later receive');
    for (const [group, sequences] of firstProcessed) {
      assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b), `${group} was processed in sequence order`);
    }
    for (const poisoned of POISONED) assert.ok(!processed.has(poisoned), `${poisoned} (poison) was never processed`);

    // The DLQ itself, read over the SQS API from the data directory the run left behind.
    const server = await startServer({ port: 0, host: '127.0.0.1', dataDir });
    const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const { QueueUrl: dlqUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'mqs-orders-dlq.fifo' }));
      const inTheDlq = new Set<string>();
      for (let round = 0; round < 100; round += 1) {
        const { Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
        if (messages.length === 0) break;
        for (const message of messages) {
          const body = JSON.parse(message.Body ?? '{}') as { orderId: string; seq: number; runId: string };
          if (body.runId === runId) inTheDlq.add(`${body.orderId}#${body.seq}`);
        }
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })) }));
      }
      for (const poisoned of POISONED) assert.ok(inTheDlq.has(poisoned), `${poisoned} is in the DLQ`);
      assert.equal(inTheDlq.size, Number(inDlq[1]), 'the DLQ holds exactly what verification accounted to it');
      for (const key of inTheDlq) assert.ok(!processed.has(key), `${key} in the DLQ was never processed`);
    } finally {
      sqs.destroy();
      await server.stop();
    }
  });
});
