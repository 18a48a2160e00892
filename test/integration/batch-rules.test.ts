/** @module test/integration/batch-rules: whole-request and per-entry rules shared by the three batch operations (spec §B SendMessageBatch). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive } from '../helpers/messages.ts';

/** Runs one batch operation with entries that carry the given ids (each entry otherwise valid in shape). */
type BatchCall = (sqs: SQSClient, url: string, ids: string[]) => Promise<unknown>;

const BATCH_OPERATIONS: Record<string, BatchCall> = {
  SendMessageBatch: (sqs, QueueUrl, ids) =>
    sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: ids.map((Id) => ({ Id, MessageBody: `body ${Id}` })) })),
  DeleteMessageBatch: (sqs, QueueUrl, ids) =>
    sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: ids.map((Id) => ({ Id, ReceiptHandle: 'garbage' })) })),
  ChangeMessageVisibilityBatch: (sqs, QueueUrl, ids) =>
    sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: ids.map((Id) => ({ Id, ReceiptHandle: 'garbage', VisibilityTimeout: 0 })),
      }),
    ),
};

const range = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);

describe('batch request rules', () => {
  const t = useTestServer();

  for (const [operation, call] of Object.entries(BATCH_OPERATIONS)) {
    describe(operation, () => {
      it('rejects an empty entry list with EmptyBatchRequest', async () => {
        const q = await createStandardQueue(t.sqs);
        await expectSqsError(call(t.sqs, q.url, []), 'EmptyBatchRequest');
      });

      it('rejects 11 entries with TooManyEntriesInBatchRequest', async () => {
        const q = await createStandardQueue(t.sqs);
        await expectSqsError(
          call(t.sqs, q.url, range(11)),
          'TooManyEntriesInBatchRequest',
          'Maximum number of entries per request are 10. You have sent 11.',
        );
      });

      it('rejects an entry id with characters other than letters, digits, hyphens and underscores', async () => {
        const q = await createStandardQueue(t.sqs);
        await expectSqsError(
          call(t.sqs, q.url, ['ok', 'not ok!']),
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      });

      it('rejects an entry id of 81 characters with InvalidBatchEntryId', async () => {
        const q = await createStandardQueue(t.sqs);
        await expectSqsError(call(t.sqs, q.url, ['a'.repeat(81)]), 'InvalidBatchEntryId');
      });

      it('rejects repeated entry ids with BatchEntryIdsNotDistinct', async () => {
        const q = await createStandardQueue(t.sqs);
        await expectSqsError(call(t.sqs, q.url, ['same', 'other', 'same']), 'BatchEntryIdsNotDistinct', 'Id same repeated.');
      });

      it('rejects the whole request: no entry takes effect', async () => {
        const q = await createStandardQueue(t.sqs);
        await assert.rejects(call(t.sqs, q.url, ['dup', 'dup']));
        assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
      });
    });
  }

  it('accepts 10 entries with 80-character ids of letters, digits, hyphens and underscores', async () => {
    const q = await createStandardQueue(t.sqs);
    const ids = range(10).map((id) => `${id}_-`.padEnd(80, 'Z'));
    const out = await t.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: q.url, Entries: ids.map((Id) => ({ Id, MessageBody: Id })) }),
    );
    assert.deepEqual(out.Successful?.map((s) => s.Id).sort(), [...ids].sort());
    assert.deepEqual(out.Failed ?? [], []);
  });

  it('rejects a SendMessageBatch over 1048576 bytes in total with BatchRequestTooLong', async () => {
    const q = await createStandardQueue(t.sqs);
    // Each entry is well under the queue limit; together they exceed the fixed 1 MiB batch limit.
    const body = 'x'.repeat(110_000);
    const total = body.length * 10;
    await expectSqsError(
      t.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: q.url, Entries: range(10).map((Id) => ({ Id, MessageBody: body })) }),
      ),
      'BatchRequestTooLong',
      `Batch requests cannot be longer than 1048576 bytes. You have sent ${total} bytes.`,
    );
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('accepts a SendMessageBatch of exactly 1048576 bytes', async () => {
    const q = await createStandardQueue(t.sqs);
    const body = 'x'.repeat(1_048_576 / 8);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: q.url, Entries: range(8).map((Id) => ({ Id, MessageBody: body })) }),
    );
    assert.equal(out.Successful?.length, 8);
  });

  it('answers HTTP 200 with Failed entries carrying the legacy code and SenderFault for bad entries', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'good1', MessageBody: 'fine' },
          { Id: 'badchars', MessageBody: 'bad\u0000' },
          { Id: 'badattr', MessageBody: 'x', MessageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'v' } } },
          { Id: 'good2', MessageBody: 'also fine' },
        ],
      }),
    );
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['good1', 'good2']);
    const failed = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
    assert.equal(failed.size, 2);
    assert.equal(failed.get('badchars')?.Code, 'InvalidMessageContents');
    assert.equal(failed.get('badattr')?.Code, 'InvalidParameterValue');
    for (const f of failed.values()) {
      assert.equal(f.SenderFault, true);
      assert.ok(f.Message && f.Message.length > 0, 'Failed entries carry a message');
    }
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 2);
  });
});
