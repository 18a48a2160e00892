/** @module runtime/poller.test: the poll loop's pure rules: the 6 MB event limit, the batching window's waits, and the settings AWS refuses (§F.1, §F.2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '@aws-sdk/client-sqs';
import { mappingSettingsProblem, POLLER_LIMITS, splitByPayload, windowWait } from './poller.ts';
import { sqsRecordOf } from './sqs-event.ts';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:big';

function message(id: number, bodyBytes: number): Message {
  return {
    MessageId: `id-${id}`,
    ReceiptHandle: `handle-${id}`,
    MD5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    Body: 'x'.repeat(bodyBytes),
    Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1767225600000' },
  };
}

const eventBytes = (messages: readonly Message[]) => Buffer.byteLength(JSON.stringify({ Records: messages.map((m) => sqsRecordOf(m, ARN)) }));

describe('splitByPayload', () => {
  it('keeps every event within 6 MB and the messages in order, carrying the rest', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i, 1_000_000));
    const events: Message[][] = [];
    let rest = messages;
    while (rest.length > 0) {
      const [batch, carried] = splitByPayload(rest, ARN, POLLER_LIMITS.maxPayloadBytes);
      events.push(batch);
      rest = carried;
    }
    assert.deepEqual(
      events.map((batch) => batch.length),
      [6, 4],
    );
    for (const batch of events) assert.ok(eventBytes(batch) <= POLLER_LIMITS.maxPayloadBytes, `${eventBytes(batch)} bytes`);
    assert.deepEqual(events.flat(), messages);
  });

  it('counts the exact event: a batch that fits to the byte stays whole, one byte more splits it', () => {
    const messages = [message(1, 100), message(2, 100)];
    const exact = eventBytes(messages);
    assert.deepEqual(splitByPayload(messages, ARN, exact), [messages, []]);
    assert.deepEqual(splitByPayload(messages, ARN, exact - 1), [[messages[0]], [messages[1]]]);
  });

  it('counts message attributes too: small bodies with large binary attributes are split', () => {
    const withAttribute = (id: number): Message => ({
      ...message(id, 10),
      MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: new Uint8Array(900_000) } },
    });
    const messages = Array.from({ length: 10 }, (_, i) => withAttribute(i));
    const [batch, rest] = splitByPayload(messages, ARN, POLLER_LIMITS.maxPayloadBytes);
    assert.ok(rest.length > 0, 'ten 900 kB attributes are over 6 MB in base64');
    assert.ok(eventBytes(batch) <= POLLER_LIMITS.maxPayloadBytes, `${eventBytes(batch)} bytes`);
  });

  it('always sends the first message', () => {
    const [batch, rest] = splitByPayload([message(1, 500)], ARN, 10);
    assert.equal(batch.length, 1);
    assert.deepEqual(rest, []);
  });
});

describe('windowWait', () => {
  it('long-polls whole seconds, at most 20, and sleeps out the last fraction instead of short-polling', () => {
    assert.deepEqual(windowWait(300_000), { sleepMs: 0, waitTimeSeconds: 20 });
    assert.deepEqual(windowWait(2_400), { sleepMs: 0, waitTimeSeconds: 2 });
    assert.deepEqual(windowWait(999), { sleepMs: 999, waitTimeSeconds: 0 });
    assert.deepEqual(windowWait(-5), { sleepMs: 0, waitTimeSeconds: 0 });
  });
});

describe('mappingSettingsProblem (what CreateEventSourceMapping refuses, §F.1)', () => {
  const ok = { batchSize: 10, maximumBatchingWindowSeconds: 0 };
  it('accepts the defaults and the bounds', () => {
    for (const isFifo of [false, true]) assert.equal(mappingSettingsProblem(ok, isFifo), undefined);
    assert.equal(mappingSettingsProblem({ batchSize: 10_000, maximumBatchingWindowSeconds: 300, maximumConcurrency: 1000 }, false), undefined);
    assert.equal(mappingSettingsProblem({ batchSize: 1, maximumBatchingWindowSeconds: 0, maximumConcurrency: 2 }, true), undefined);
  });

  it('refuses each setting out of its range, naming it', () => {
    const cases: Array<[Parameters<typeof mappingSettingsProblem>[0], boolean, RegExp]> = [
      [{ ...ok, batchSize: 0 }, false, /BatchSize must be an integer from 1 to 10000 for a standard queue \(got 0\)/],
      [{ ...ok, batchSize: 20 }, true, /BatchSize must be an integer from 1 to 10 for a FIFO queue \(got 20\)/],
      [{ batchSize: 10_001, maximumBatchingWindowSeconds: 5 }, false, /from 1 to 10000/],
      [{ ...ok, maximumBatchingWindowSeconds: 301 }, false, /MaximumBatchingWindowInSeconds must be an integer from 0 to 300 \(got 301\)/],
      [{ ...ok, maximumBatchingWindowSeconds: 5 }, true, /MaximumBatchingWindowInSeconds is not supported for FIFO queues/],
      [{ batchSize: 50, maximumBatchingWindowSeconds: 0 }, false, /^Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10$/],
      [{ ...ok, maximumConcurrency: 1 }, false, /ScalingConfig.MaximumConcurrency must be an integer from 2 to 1000 \(got 1\)/],
      [{ ...ok, maximumConcurrency: 0 }, true, /from 2 to 1000 \(got 0\)/],
    ];
    for (const [settings, isFifo, expected] of cases) assert.match(mappingSettingsProblem(settings, isFifo) ?? '(accepted)', expected, JSON.stringify(settings));
  });
});
