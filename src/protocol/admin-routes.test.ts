/**
 * @module protocol/admin-routes.test: the read-only queue admin API over a real socket, with the real SDK making the
 * traffic: counts, settings and DLQs, FIFO groups and a peek that locks nothing, per-queue rates and history, errors.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { Engine, ManualClock } from '../engine/index.ts';
import { PEEK_BODY_CHARS, type QueueDetail, type QueueSummary, createAdminRoutes } from './admin-routes.ts';
import { createHttpApp } from './http-app.ts';
import { jsonProtocol } from './json-protocol.ts';
import { QueueActivity, type QueueHistory } from './queue-activity.ts';
import { QueueUrls } from './queue-urls.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

interface Harness {
  url: string;
  engine: Engine;
  clock: ManualClock;
  activity: QueueActivity;
  sqs: SQSClient;
  /** The sample time the next `activity.sample()` records. */
  sampleAt: { ms: number };
  server: Server;
}

async function start(): Promise<Harness> {
  const clock = new ManualClock();
  const engine = new Engine({ clock });
  const sampleAt = { ms: 1_000_000 };
  const activity = new QueueActivity(engine, { now: () => sampleAt.ms });
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queueUrls = new QueueUrls(url, engine.accountId);
  const app = createHttpApp({ engine, clock, queueUrls, protocols: [jsonProtocol], adminRoutes: createAdminRoutes({ engine, activity, queueUrls }) });
  server.on('request', app.handle);
  const sqs = new SQSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  return { url, engine, clock, activity, sqs, sampleAt, server };
}

async function getJson<T>(h: Harness, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${h.url}${path}`, init);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { status: res.status, body: (await res.json()) as T };
}

describe('/_admin/queues', () => {
  let h: Harness;
  let urlOf: (name: string) => string;
  before(async () => {
    h = await start();
    urlOf = (name) => `${h.url}/${h.engine.accountId}/${name}`;
    h.engine.createQueue({ name: 'orders-dlq.fifo', attributes: { FifoQueue: 'true' } });
    h.engine.createQueue({
      name: 'orders.fifo',
      attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        VisibilityTimeout: '60',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: h.engine.arnOf('orders-dlq.fifo'), maxReceiveCount: 1 }),
      },
    });
    h.engine.createQueue({ name: 'plain', attributes: { DelaySeconds: '0' } });
  });
  after(async () => {
    h.sqs.destroy();
    h.server.close();
    h.engine.close();
  });

  it('lists every queue with its counts, settings, dead-letter queue and the queues that redrive to it', async () => {
    await h.sqs.send(new SendMessageCommand({ QueueUrl: urlOf('plain'), MessageBody: 'now' }));
    await h.sqs.send(new SendMessageCommand({ QueueUrl: urlOf('plain'), MessageBody: 'later', DelaySeconds: 30 }));
    const { status, body } = await getJson<{ queues: QueueSummary[] }>(h, '/_admin/queues');
    assert.equal(status, 200);
    assert.deepEqual(
      body.queues.map((q) => q.name),
      ['orders-dlq.fifo', 'orders.fifo', 'plain'],
    );
    const [dlq, orders, plain] = body.queues;
    assert.deepEqual([plain!.visible, plain!.inFlight, plain!.delayed], [1, 0, 1]);
    assert.equal(plain!.isFifo, false);
    assert.equal(plain!.url, urlOf('plain'));
    assert.equal(orders!.isFifo, true);
    assert.equal(orders!.attributes['VisibilityTimeout'], '60');
    assert.equal(orders!.attributes['ApproximateNumberOfMessages'], undefined, 'counts are fields, not attributes');
    assert.deepEqual(orders!.deadLetter, { targetName: 'orders-dlq.fifo', targetArn: h.engine.arnOf('orders-dlq.fifo'), maxReceiveCount: 1 });
    assert.deepEqual(dlq!.deadLetterSources, ['orders.fifo']);
    assert.deepEqual(orders!.deadLetterSources, []);
  });

  it('shows FIFO groups with their lock and backlog, and peeks without locking a group or counting a receive', async () => {
    await h.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: urlOf('orders.fifo'),
        Entries: ['a', 'a', 'b', 'c'].map((group, i) => ({ Id: `e${i}`, MessageBody: `${group}-${i}`, MessageGroupId: group })),
      }),
    );
    // Lock group a: one of its messages in flight.
    const first = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOf('orders.fifo'), MaxNumberOfMessages: 1 }));
    assert.equal(first.Messages?.[0]?.Body, 'a-0');
    for (let i = 0; i < 3; i++) await getJson(h, '/_admin/queues/orders.fifo?peek=10');
    const { body } = await getJson<QueueDetail>(h, '/_admin/queues/orders.fifo?peek=10');
    assert.deepEqual([body.visible, body.inFlight, body.delayed], [3, 1, 0]);
    assert.deepEqual(body.groups, {
      total: 3,
      locked: 1,
      listed: [
        { groupId: 'a', backlog: 2, inFlight: 1, isLocked: true },
        { groupId: 'b', backlog: 1, inFlight: 0, isLocked: false },
        { groupId: 'c', backlog: 1, inFlight: 0, isLocked: false },
      ],
    });
    assert.deepEqual(
      body.peek.map((m) => [m.body, m.state, m.receiveCount, m.messageGroupId]),
      [
        ['a-0', 'inFlight', 1, 'a'],
        ['a-1', 'visible', 0, 'a'],
        ['b-2', 'visible', 0, 'b'],
        ['c-3', 'visible', 0, 'c'],
      ],
    );
    // The peeks changed nothing a client sees: b's message is the next one, received for the first time.
    const next = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOf('orders.fifo'), MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(next.Messages?.[0]?.Body, 'b-2');
    assert.equal(next.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '1');
    const limited = await getJson<QueueDetail>(h, '/_admin/queues/orders.fifo?peek=1&groups=1');
    assert.equal(limited.body.peek.length, 1);
    assert.deepEqual(limited.body.groups?.listed.map((g) => g.groupId), ['a']);
    assert.equal(limited.body.groups?.total, 3);
  });

  it('cuts long bodies in the peek and says how long they were', async () => {
    const body = 'x'.repeat(PEEK_BODY_CHARS + 10);
    await h.sqs.send(new SendMessageCommand({ QueueUrl: urlOf('plain'), MessageBody: body }));
    const { body: detail } = await getJson<QueueDetail>(h, '/_admin/queues/plain');
    const peeked = detail.peek.find((m) => m.bodyLength === body.length);
    assert.ok(peeked);
    assert.equal(peeked.isBodyTruncated, true);
    assert.equal(peeked.body.length, PEEK_BODY_CHARS);
    assert.equal(detail.groups, undefined, 'a standard queue has no groups');
  });

  it('counts sends, receives and deletes per queue and keeps a per-second history of depth and rates', async () => {
    const queue = 'rates';
    h.engine.createQueue({ name: queue });
    h.activity.sample();
    await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: urlOf(queue), Entries: [0, 1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
    const received = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOf(queue), MaxNumberOfMessages: 2 }));
    assert.equal(received.Messages?.length, 2);
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: urlOf(queue), ReceiptHandle: received.Messages![0]!.ReceiptHandle! }));
    h.sampleAt.ms += 2_000;
    h.activity.sample();
    const { body: history } = await getJson<QueueHistory>(h, `/_admin/queues/${queue}/history`);
    assert.deepEqual(history.t, [1_000_000, 1_002_000]);
    assert.deepEqual(history.visible, [0, 2]);
    assert.deepEqual(history.inFlight, [0, 1]);
    // Per second over the 2 s between the samples.
    assert.deepEqual([history.sent[1], history.received[1], history.deleted[1]], [2, 1, 0.5]);
    const after = await getJson<QueueHistory>(h, `/_admin/queues/${queue}/history?after=1000000`);
    assert.deepEqual(after.body.t, [1_002_000]);
    const { body } = await getJson<{ queues: QueueSummary[] }>(h, '/_admin/queues');
    const summary = body.queues.find((q) => q.name === queue);
    assert.deepEqual(summary?.totals, { sent: 4, received: 2, deleted: 1 });
    assert.deepEqual(summary?.rates, { sent: 2, received: 1, deleted: 0.5 });
  });

  it("lists a dead-letter queue's message move tasks", async () => {
    // maxReceiveCount 1: a's message, received once already, moves to the DLQ on the next receive after it is visible.
    h.clock.advance(61_000);
    await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOf('orders.fifo'), MaxNumberOfMessages: 10 }));
    const dead = await getJson<QueueDetail>(h, '/_admin/queues/orders-dlq.fifo');
    assert.ok(dead.body.visible >= 1);
    assert.deepEqual(dead.body.moveTasks, []);
    await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: h.engine.arnOf('orders-dlq.fifo') }));
    const { body } = await getJson<QueueDetail>(h, '/_admin/queues/orders-dlq.fifo');
    assert.equal(body.moveTasks?.length, 1);
    assert.equal(body.moveTasks?.[0]?.sourceArn, h.engine.arnOf('orders-dlq.fifo'));
    assert.equal(body.moveTasks?.[0]?.isRunning, body.moveTasks?.[0]?.status === 'RUNNING');
    assert.equal(body.moveTasks?.[0]?.approximateNumberOfMessagesToMove, dead.body.visible);
    assert.equal('taskHandle' in (body.moveTasks?.[0] ?? {}), false);
  });

  it('answers JSON errors: 404 for an unknown queue or path, 400 for a bad parameter, 405 for a write', async () => {
    const unknown = await getJson<{ error: { code: string } }>(h, '/_admin/queues/nope');
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'NotFound']);
    const history = await getJson<{ error: { code: string } }>(h, '/_admin/queues/nope/history');
    assert.equal(history.status, 404);
    const path = await getJson<{ error: { code: string } }>(h, '/_admin/queues/plain/messages');
    assert.equal(path.status, 404);
    const other = await getJson<{ error: { code: string } }>(h, '/_admin/other');
    assert.equal(other.status, 404);
    for (const query of ['peek=-1', 'peek=101', 'peek=x', 'groups=1.5', 'peek=1e1', 'peek=0x10', 'peek= 5']) {
      const bad = await getJson<{ error: { code: string; message: string } }>(h, `/_admin/queues/plain?${query}`);
      assert.deepEqual([bad.status, bad.body.error.code], [400, 'InvalidParameter'], query);
    }
    const badAfter = await getJson<{ error: { code: string } }>(h, '/_admin/queues/plain/history?after=soon');
    assert.equal(badAfter.status, 400);
    const write = await fetch(`${h.url}/_admin/queues/plain`, { method: 'DELETE' });
    assert.deepEqual([write.status, ((await write.json()) as { error: { code: string } }).error.code], [405, 'MethodNotAllowed']);
    assert.equal(write.headers.get('allow'), 'GET, HEAD');
    const badEscape = await getJson<{ error: { code: string } }>(h, '/_admin/queues/%E0%A4%A');
    assert.equal(badEscape.status, 400);
  });
});
