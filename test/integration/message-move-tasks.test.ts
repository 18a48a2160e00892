/** @module test/integration/message-move-tasks: StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask (spec §B). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CancelMessageMoveTaskCommand,
  DeleteQueueCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts, uniqueQueueName } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { createRedrivePair, exhaustReceives, redrivePolicy } from '../helpers/dead-letter.ts';
import { bodies, receive, receiveOne, sendAll } from '../helpers/messages.ts';

describe('message move tasks', () => {
  const t = useTestServer();

  /** A source queue with `count` messages redriven into its DLQ. */
  async function dlqWithMessages(count: number) {
    const pair = await createRedrivePair(t.sqs, 1);
    await sendAll(t.sqs, pair.source.url, Array.from({ length: count }, (_, i) => `m${i}`));
    for (let round = 0; round < Math.ceil(count / 10); round++) await exhaustReceives(t.sqs, pair.source.url, 1);
    assert.equal((await queueCounts(t.sqs, pair.dlq.url)).visible, count, 'all messages are in the DLQ');
    return pair;
  }
  const start = (SourceArn: string, extra: { DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number } = {}) =>
    t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn, ...extra }));
  const tasks = async (SourceArn: string, MaxResults?: number): Promise<ListMessageMoveTasksResultEntry[]> =>
    (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults }))).Results ?? [];
  /** Advances the clock a second at a time until the most recent task has left RUNNING (at most 60 s). */
  async function runToEnd(sourceArn: string): Promise<ListMessageMoveTasksResultEntry | undefined> {
    for (let i = 0; i < 60; i++) {
      const [latest] = await tasks(sourceArn);
      if (latest?.Status !== 'RUNNING' && latest?.Status !== 'CANCELLING') return latest;
      t.clock.advance(1_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return (await tasks(sourceArn))[0];
  }

  it('moves DLQ messages back to their source queue when no destination is given', async () => {
    const { source, dlq } = await dlqWithMessages(3);
    const out = await start(dlq.arn);
    assert.ok(out.TaskHandle);
    assert.ok(out.$metadata.requestId);
    const done = await runToEnd(dlq.arn);
    assert.equal(done?.Status, 'COMPLETED');
    assert.equal(done?.ApproximateNumberOfMessagesMoved, 3);
    assert.equal(done?.ApproximateNumberOfMessagesToMove, 3);
    assert.equal(done?.SourceArn, dlq.arn);
    assert.equal(done?.TaskHandle, undefined, 'TaskHandle only while RUNNING');
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 0);
    assert.deepEqual(bodies(await receive(t.sqs, source.url, { MaxNumberOfMessages: 10 })).sort(), ['m0', 'm1', 'm2']);
  });

  it('keeps MessageId and body of a moved message', async () => {
    const { source, dlq } = await dlqWithMessages(1);
    const inDlq = await receiveOne(t.sqs, dlq.url, { VisibilityTimeout: 0 });
    await start(dlq.arn);
    await runToEnd(dlq.arn);
    const back = await receiveOne(t.sqs, source.url);
    assert.equal(back.MessageId, inDlq.MessageId);
    assert.equal(back.Body, inDlq.Body);
  });

  it('moves DLQ messages to an explicit DestinationArn', async () => {
    const { source, dlq } = await dlqWithMessages(2);
    const elsewhere = await createStandardQueue(t.sqs);
    await start(dlq.arn, { DestinationArn: elsewhere.arn });
    const done = await runToEnd(dlq.arn);
    assert.equal(done?.Status, 'COMPLETED');
    assert.equal(done?.DestinationArn, elsewhere.arn);
    assert.equal((await queueCounts(t.sqs, elsewhere.url)).visible, 2);
    assert.equal((await queueCounts(t.sqs, source.url)).visible, 0);
  });

  it('reports RUNNING with a TaskHandle while moving at MaxNumberOfMessagesPerSecond, then COMPLETED as the clock advances', async () => {
    const { dlq } = await dlqWithMessages(3);
    const { TaskHandle } = await start(dlq.arn, { MaxNumberOfMessagesPerSecond: 1 });
    const [running] = await tasks(dlq.arn);
    assert.equal(running?.Status, 'RUNNING');
    assert.equal(running?.TaskHandle, TaskHandle);
    assert.equal(running?.MaxNumberOfMessagesPerSecond, 1);
    assert.equal(running?.ApproximateNumberOfMessagesToMove, 3);
    assert.equal(running?.StartedTimestamp, t.clock.now());
    assert.ok((running?.ApproximateNumberOfMessagesMoved ?? 0) < 3);
    const done = await runToEnd(dlq.arn);
    assert.equal(done?.Status, 'COMPLETED');
    assert.equal(done?.ApproximateNumberOfMessagesMoved, 3);
  });

  it('lists tasks most recent first, one by default, up to MaxResults', async () => {
    const { dlq, source } = await dlqWithMessages(1);
    await start(dlq.arn);
    await runToEnd(dlq.arn);
    await exhaustReceives(t.sqs, source.url, 1);
    t.clock.advance(1_000);
    const secondStartedAt = t.clock.now();
    await start(dlq.arn);
    await runToEnd(dlq.arn);
    assert.equal((await tasks(dlq.arn)).length, 1);
    const both = await tasks(dlq.arn, 10);
    assert.equal(both.length, 2);
    assert.equal(both[0]?.StartedTimestamp, secondStartedAt);
    assert.ok((both[0]?.StartedTimestamp ?? 0) > (both[1]?.StartedTimestamp ?? 0));
  });

  it('moves no faster than MaxNumberOfMessagesPerSecond', async () => {
    const { source, dlq } = await dlqWithMessages(10);
    await start(dlq.arn, { MaxNumberOfMessagesPerSecond: 2 });
    t.clock.advance(2_000);
    const [running] = await tasks(dlq.arn);
    // 2 s at 2 messages/s: about 4 (one extra for a move at t=0), never all 10.
    assert.equal(running?.Status, 'RUNNING');
    assert.ok((running?.ApproximateNumberOfMessagesMoved ?? 99) <= 5, `moved ${running?.ApproximateNumberOfMessagesMoved}`);
    assert.ok((await queueCounts(t.sqs, source.url)).visible <= 5);
    await runToEnd(dlq.arn);
  });

  it('cancels a running task; moved messages stay moved and the rest stay in the DLQ', async () => {
    const { source, dlq } = await dlqWithMessages(5);
    const { TaskHandle } = await start(dlq.arn, { MaxNumberOfMessagesPerSecond: 1 });
    t.clock.advance(1_000);
    const out = await t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    assert.ok(out.$metadata.requestId);
    const moved = out.ApproximateNumberOfMessagesMoved ?? -1;
    assert.ok(moved >= 0 && moved < 5, `moved ${moved}`);
    const done = await runToEnd(dlq.arn);
    assert.equal(done?.Status, 'CANCELLED');
    t.clock.advance(30_000);
    const inSource = (await queueCounts(t.sqs, source.url)).visible;
    const inDlq = (await queueCounts(t.sqs, dlq.url)).visible;
    assert.equal(inSource + inDlq, 5);
    assert.ok(inDlq > 0, 'the task stopped before moving everything');
    assert.equal(inSource, done?.ApproximateNumberOfMessagesMoved);
  });

  it('rejects a second task on the same source while one is running', async () => {
    const { dlq } = await dlqWithMessages(3);
    await start(dlq.arn, { MaxNumberOfMessagesPerSecond: 1 });
    await expectSqsError(
      start(dlq.arn),
      'InvalidParameterValue',
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
    await runToEnd(dlq.arn);
  });

  it('rejects a source queue that is not a DLQ', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(start(q.arn), 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
  });

  it('answers ResourceNotFoundException (404) for an unknown source queue', async () => {
    const q = await createStandardQueue(t.sqs);
    const missing = q.arn.replace(q.name, uniqueQueueName());
    await expectSqsError(
      start(missing),
      'ResourceNotFoundException',
      "The resource that you specified for the SourceArn parameter doesn't exist.",
    );
  });

  it('answers ResourceNotFoundException (404) for an unknown destination queue', async () => {
    const { dlq } = await dlqWithMessages(1);
    const missing = dlq.arn.replace(dlq.name, uniqueQueueName());
    await expectSqsError(start(dlq.arn, { DestinationArn: missing }), 'ResourceNotFoundException', /DestinationArn/);
  });

  it('answers ResourceNotFoundException when listing the tasks of an unknown source queue', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(tasks(q.arn.replace(q.name, uniqueQueueName())), 'ResourceNotFoundException');
  });

  it('returns no results for a DLQ that never had a task', async () => {
    const { dlq } = await createRedrivePair(t.sqs, 3);
    assert.deepEqual(await tasks(dlq.arn), []);
  });

  it('rejects a malformed TaskHandle on cancel with InvalidParameterValue', async () => {
    await expectSqsError(
      t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'not-a-handle' })),
      'InvalidParameterValue',
      'Value for parameter TaskHandle is invalid.',
    );
  });

  it('rejects MaxNumberOfMessagesPerSecond above 500 with InvalidParameterValue', async () => {
    const { dlq } = await dlqWithMessages(1);
    await expectSqsError(start(dlq.arn, { MaxNumberOfMessagesPerSecond: 501 }), 'InvalidParameterValue');
  });

  it('fails with FailureReason NonExistentQueue when the original source queue is gone', async () => {
    const { source, dlq } = await dlqWithMessages(1);
    const other = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 3) });
    assert.ok(other.url, 'the DLQ keeps a source, so it stays a DLQ');
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: source.url }));
    await start(dlq.arn);
    const done = await runToEnd(dlq.arn);
    assert.equal(done?.Status, 'FAILED');
    assert.equal(done?.FailureReason, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 1, 'the message stays in the DLQ');
  });
});
