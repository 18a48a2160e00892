/**
 * @module test/durability/kill-9: what survives `kill -9` of `mqs server` (issue 2): acknowledged messages and their
 * FIFO order, receive counts, visibility deadlines and in-flight state, dedup windows, move tasks, queue attributes
 * and tags; and that `--in-memory` keeps nothing. Every test SIGKILLs a real server process and restarts it on the
 * same data directory (the new process listens on another port; the tests use its endpoint).
 *
 * Reproduce the seeded traffic test with `DURABILITY_SEED=<seed>` (the seed is printed as a test diagnostic).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { seedFromEnv } from '../helpers/fuzz-seed.ts';
import { sendAll } from '../helpers/messages.ts';
import { FifoLedger } from './fifo-ledger.ts';
import { planTraffic, receiveAndDelete, runReceiver, runSender, SENDER_COUNT, type TrafficControl } from './fifo-traffic.ts';
import { killAllServerProcesses, type ServerProcess, startServerProcess } from './server-process.ts';
import { createDurabilityClient } from './sqs-client.ts';

/** Bound on the traffic phase: the server is killed by then even if fewer messages were acknowledged. */
const TRAFFIC_BOUND_MS = 30_000;
/** Bound on draining the queue after the restart. */
const DRAIN_BOUND_MS = 60_000;
/** Bound on waiting for a message to come back or a move task to finish. */
const POLL_BOUND_MS = 45_000;
/** The FIFO queue's visibility timeout in the traffic test: short, so messages in flight at the crash return soon. */
const TRAFFIC_VISIBILITY_SECONDS = 5;
/** Long enough that no test outlives it: a message received with it stays in flight for the whole test. */
const LONG_VISIBILITY_SECONDS = 3_600;

const tempDirs: string[] = [];

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mqs-kill9-'));
  tempDirs.push(dir);
  return dir;
}

after(async () => {
  await killAllServerProcesses();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A server process and a client for it; `crash()` SIGKILLs it and destroys the client. */
interface Running {
  srv: ServerProcess;
  sqs: SQSClient;
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** The server processes the current test started, whose stderr a failure report includes. */
const launched: ServerProcess[] = [];

async function launch(options: { dataDir?: string; isInMemory?: boolean }): Promise<Running> {
  const srv = await startServerProcess(options);
  launched.push(srv);
  const sqs = createDurabilityClient(srv.url);
  return {
    srv,
    sqs,
    async crash() {
      await srv.kill();
      sqs.destroy();
    },
    async stop() {
      sqs.destroy();
      await srv.stop();
    },
  };
}

function suffix(): string {
  return Math.random().toString(36).slice(2, 8);
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}, tags?: Record<string, string>): Promise<string> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }));
  assert.ok(out.QueueUrl, `CreateQueue ${name} returned a QueueUrl`);
  return out.QueueUrl;
}

async function urlOf(sqs: SQSClient, name: string): Promise<string> {
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  assert.ok(out.QueueUrl, `GetQueueUrl ${name}`);
  return out.QueueUrl;
}

async function attributesOf(sqs: SQSClient, url: string, names: QueueAttributeName[] = ['All']): Promise<Record<string, string>> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }));
  return out.Attributes ?? {};
}

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const arn = (await attributesOf(sqs, url, ['QueueArn'])).QueueArn;
  assert.ok(arn, `QueueArn of ${url}`);
  return arn;
}

/** Counts of visible, in-flight and delayed messages. */
async function countsOf(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const a = await attributesOf(sqs, url, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
    'ApproximateNumberOfMessagesDelayed',
  ]);
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

async function receiveAll(sqs: SQSClient, url: string, extra: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...extra,
    }),
  );
  return out.Messages ?? [];
}

/** Receives (short polls) and deletes until a receive is empty; returns the bodies in receive order. */
async function drainBodies(sqs: SQSClient, url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let round = 0; round < 100; round++) {
    const batch = await receiveAll(sqs, url);
    if (batch.length === 0) return bodies;
    for (const m of batch) {
      bodies.push(m.Body ?? '');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  throw new Error(`queue ${url} did not drain in 100 receives`);
}

/** Calls `probe` until it returns a value (not undefined) or `boundMs` passes; throws `what` on timeout. */
async function pollUntil<T>(what: string, boundMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `it` for these tests: on failure, the message ends with what the test's server processes wrote to stderr. */
function itSurvives(title: string, timeoutMs: number, body: (t: TestContext) => Promise<void>): void {
  it(title, { timeout: timeoutMs }, async (t: TestContext) => {
    launched.length = 0;
    try {
      await body(t);
    } catch (error) {
      const logs = launched.map((srv, i) => `server ${i + 1} (pid ${srv.pid}):\n${srv.stderr().slice(-3000)}`).join('\n');
      if (error instanceof Error && launched.some((srv) => srv.stderr() !== '')) error.message += `\n${logs}`;
      throw error;
    }
  });
}

describe('kill -9 of mqs server', { concurrency: false }, () => {
  itSurvives('loses no acknowledged FIFO message and keeps each group in order across the crash', 150_000, async (t) => {
    const seed = seedFromEnv('DURABILITY_SEED');
    t.diagnostic(`seed ${seed} (rerun with DURABILITY_SEED=${seed})`);
    const plan = planTraffic(seed);
    const dataDir = await freshDataDir();
    const ledger = new FifoLedger();
    const control: TrafficControl = { isCrashing: false, isStopping: false };

    const first = await launch({ dataDir });
    const name = `kill9-${suffix()}.fifo`;
    const queueUrl = await createQueue(first.sqs, name, {
      FifoQueue: 'true',
      VisibilityTimeout: String(TRAFFIC_VISIBILITY_SECONDS),
    });

    // Run 1: senders and a receiver at full speed; the server is SIGKILLed in the middle of it.
    let resolveKill!: () => void;
    const killDue = new Promise<void>((resolve) => {
      resolveKill = resolve;
    });
    const onAck = () => {
      if (ledger.ackedCount >= plan.killAfterAcks) resolveKill();
    };
    const boundTimer = setTimeout(resolveKill, TRAFFIC_BOUND_MS);
    const loops = [
      ...plan.senders.map((ops, i) => runSender(first.sqs, queueUrl, i, ops, ledger, control, onAck)),
      runReceiver(first.sqs, queueUrl, plan, ledger, control),
    ];
    await Promise.race([killDue, Promise.all(loops)]);
    clearTimeout(boundTimer);
    control.isCrashing = true;
    await first.srv.kill();
    // The loops end on their first failed request (every request to a dead server fails at once).
    await Promise.all(loops);
    first.sqs.destroy();
    const atCrash = ledger.stats();
    t.diagnostic(
      `killed after ${atCrash.acked} acknowledged sends (planned ${plan.killAfterAcks}; ${atCrash.unknownSends} sends ` +
        `and ${atCrash.unknownDeletes} deletes were cut off by the kill), ${atCrash.deliveries} deliveries`,
    );
    // (If the machine is slow the bound may kill earlier than planned; the rules below hold all the same.)
    assert.ok(atCrash.acked > 0, 'some sends were acknowledged before the kill');

    // Run 2: same data directory, new port; drain everything.
    const second = await launch({ dataDir });
    try {
      const url2 = await urlOf(second.sqs, name);
      const drainDeadline = Date.now() + DRAIN_BOUND_MS;
      const drainControl: TrafficControl = { isCrashing: false, isStopping: false };
      for (let i = 0; ; i++) {
        const turn = await receiveAndDelete(second.sqs, url2, 2, i % 2 === 0, 1, ledger, drainControl);
        assert.equal(turn.isFailed, false, `a request failed while draining: ${ledger.violations(1).join('\n')}`);
        if (turn.count === 0 && ledger.isEveryAckedMessageDeleted()) {
          const counts = await countsOf(second.sqs, url2);
          if (counts.visible + counts.inFlight + counts.delayed === 0) break;
        }
        if (Date.now() > drainDeadline) {
          assert.fail(`the queue did not drain within ${DRAIN_BOUND_MS} ms (seed ${seed}); ${JSON.stringify(ledger.stats())}`);
        }
      }
      const stats = ledger.stats();
      t.diagnostic(`ledger: ${JSON.stringify(stats)}`);
      const violations = ledger.violations(1);
      assert.deepEqual(violations, [], `seed ${seed}: ${violations.length} rule(s) broken:\n${violations.slice(0, 30).join('\n')}`);
    } finally {
      await second.stop();
    }
  });

  itSurvives('keeps ApproximateReceiveCount, first-receive time and the payload of received messages', 60_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const std = `rc-${suffix()}`;
    const fifo = `rc-${suffix()}.fifo`;
    const stdUrl = await createQueue(first.sqs, std);
    const fifoUrl = await createQueue(first.sqs, fifo, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const attrs = { color: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '42' } };
    await first.sqs.send(new SendMessageCommand({ QueueUrl: stdUrl, MessageBody: 'standard ✓', MessageAttributes: attrs }));
    await first.sqs.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'fifo ✓', MessageGroupId: 'g', MessageAttributes: attrs }));
    const before = new Map<string, Message>();
    for (const url of [stdUrl, fifoUrl]) {
      // VisibilityTimeout 0 returns the message to the queue at once, so each receive counts one more.
      for (let i = 1; i <= 3; i++) {
        const [m] = await receiveAll(first.sqs, url, { VisibilityTimeout: 0 });
        assert.ok(m, `receive ${i} from ${url}`);
        assert.equal(m.Attributes?.ApproximateReceiveCount, String(i));
        before.set(url, m);
      }
    }
    await first.crash();

    const second = await launch({ dataDir });
    try {
      for (const name of [std, fifo]) {
        const url = await urlOf(second.sqs, name);
        const old = before.get(name === std ? stdUrl : fifoUrl)!;
        const [m] = await receiveAll(second.sqs, url, { VisibilityTimeout: 0 });
        assert.ok(m, `the message of ${name} is still there`);
        assert.equal(m.MessageId, old.MessageId);
        assert.equal(m.Attributes?.ApproximateReceiveCount, '4', `${name}: three receives before the crash, one after`);
        assert.equal(m.Attributes?.ApproximateFirstReceiveTimestamp, old.Attributes?.ApproximateFirstReceiveTimestamp);
        assert.equal(m.Attributes?.SentTimestamp, old.Attributes?.SentTimestamp);
        assert.equal(m.Body, old.Body);
        assert.equal(m.MD5OfBody, old.MD5OfBody);
        assert.deepEqual(m.MessageAttributes, old.MessageAttributes);
        assert.equal(m.MD5OfMessageAttributes, old.MD5OfMessageAttributes);
        if (name === fifo) assert.equal(m.Attributes?.SequenceNumber, old.Attributes?.SequenceNumber);
      }
    } finally {
      await second.stop();
    }
  });

  itSurvives('keeps in-flight messages invisible until their deadline, with valid receipt handles, and FIFO groups locked', 90_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const longName = `inflight-long-${suffix()}`;
    const shortName = `inflight-short-${suffix()}`;
    const fifoName = `inflight-${suffix()}.fifo`;
    const longUrl = await createQueue(first.sqs, longName);
    const shortUrl = await createQueue(first.sqs, shortName);
    const fifoUrl = await createQueue(first.sqs, fifoName, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await first.sqs.send(new SendMessageCommand({ QueueUrl: longUrl, MessageBody: 'long' }));
    await first.sqs.send(new SendMessageCommand({ QueueUrl: shortUrl, MessageBody: 'short' }));
    await sendAll(first.sqs, fifoUrl, ['m1', 'm2'], () => ({ MessageGroupId: 'g1' }));

    const [long] = await receiveAll(first.sqs, longUrl, { VisibilityTimeout: LONG_VISIBILITY_SECONDS });
    assert.equal(long?.Body, 'long');
    const [m1, ...rest] = await receiveAll(first.sqs, fifoUrl, { VisibilityTimeout: LONG_VISIBILITY_SECONDS });
    assert.equal(m1?.Body, 'm1');
    // A FIFO receive may hand out m2 together with m1; take only m1 so m2 waits behind the lock.
    assert.equal(rest.length <= 1, true);
    if (rest.length === 1) {
      await first.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: fifoUrl, ReceiptHandle: rest[0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    }
    const shortVisibilitySeconds = 2;
    const shortIssuedAtMs = Date.now();
    const [short] = await receiveAll(first.sqs, shortUrl, { VisibilityTimeout: shortVisibilitySeconds });
    assert.equal(short?.Body, 'short');
    await first.crash();

    const second = await launch({ dataDir });
    try {
      const longUrl2 = await urlOf(second.sqs, longName);
      const shortUrl2 = await urlOf(second.sqs, shortName);
      const fifoUrl2 = await urlOf(second.sqs, fifoName);

      // Still in flight (its deadline is an hour away), and the handle from before the crash still works.
      assert.deepEqual(await countsOf(second.sqs, longUrl2), { visible: 0, inFlight: 1, delayed: 0 });
      assert.deepEqual(await receiveAll(second.sqs, longUrl2), []);
      await second.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: longUrl2, ReceiptHandle: long!.ReceiptHandle, VisibilityTimeout: 0 }));
      const [again] = await receiveAll(second.sqs, longUrl2);
      assert.equal(again?.MessageId, long!.MessageId);
      assert.equal(again?.Attributes?.ApproximateReceiveCount, '2');

      // m1 is in flight, so group g1 stays locked: m2 is not handed out.
      assert.deepEqual(await countsOf(second.sqs, fifoUrl2), { visible: 1, inFlight: 1, delayed: 0 });
      assert.deepEqual(await receiveAll(second.sqs, fifoUrl2), [], 'g1 is locked by m1, in flight since before the crash');
      await second.sqs.send(new DeleteMessageCommand({ QueueUrl: fifoUrl2, ReceiptHandle: m1!.ReceiptHandle }));
      const unlocked = await receiveAll(second.sqs, fifoUrl2);
      assert.deepEqual(unlocked.map((m) => m.Body), ['m2']);

      // The short deadline passes: the message comes back, never before its deadline.
      const back = await pollUntil('the short-visibility message to return', POLL_BOUND_MS, async () => {
        const [m] = await receiveAll(second.sqs, shortUrl2, { WaitTimeSeconds: 1 });
        return m === undefined ? undefined : { m, atMs: Date.now() };
      });
      assert.equal(back.m.MessageId, short!.MessageId);
      assert.equal(back.m.Attributes?.ApproximateReceiveCount, '2');
      assert.ok(
        back.atMs >= shortIssuedAtMs + shortVisibilitySeconds * 1000,
        `returned ${back.atMs - shortIssuedAtMs} ms after the receive was sent, before its ${shortVisibilitySeconds} s deadline`,
      );
    } finally {
      await second.stop();
    }
  });

  itSurvives('unlocks a FIFO group that was half in flight at the crash (its first message back, a later one out)', 60_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const name = `half-${suffix()}.fifo`;
    const url = await createQueue(first.sqs, name, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await sendAll(first.sqs, url, ['a1', 'a2'], () => ({ MessageGroupId: 'g1' }));
    const received = await receiveAll(first.sqs, url, { VisibilityTimeout: LONG_VISIBILITY_SECONDS });
    assert.deepEqual(
      received.map((m) => m.Body),
      ['a1', 'a2'],
    );
    // a1 is visible again, a2 still in flight: the group stays locked until a2 is done.
    await first.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: received[0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    await first.crash();

    const second = await launch({ dataDir });
    try {
      const url2 = await urlOf(second.sqs, name);
      assert.deepEqual(await receiveAll(second.sqs, url2), [], 'g1 is locked by a2, in flight since before the crash');
      await second.sqs.send(new DeleteMessageCommand({ QueueUrl: url2, ReceiptHandle: received[1]!.ReceiptHandle }));
      const unlocked = await receiveAll(second.sqs, url2);
      assert.deepEqual(
        unlocked.map((m) => m.Body),
        ['a1'],
        'g1 comes back once a2 is deleted',
      );
    } finally {
      await second.stop();
    }
  });

  itSurvives('never lets a receipt handle from before the crash act on a message sent after it', 60_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const name = `handles-${suffix()}`;
    const url = await createQueue(first.sqs, name);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
    const [old] = await receiveAll(first.sqs, url);
    assert.equal(old?.Body, 'old');
    // The newest message is deleted: a restart must not hand its key (which the handle names) to the next one.
    await first.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: old.ReceiptHandle }));
    await first.crash();

    const second = await launch({ dataDir });
    try {
      const url2 = await urlOf(second.sqs, name);
      await second.sqs.send(new SendMessageCommand({ QueueUrl: url2, MessageBody: 'new' }));
      const [fresh] = await receiveAll(second.sqs, url2, { VisibilityTimeout: LONG_VISIBILITY_SECONDS });
      assert.equal(fresh?.Body, 'new');
      await assert.rejects(
        second.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url2, ReceiptHandle: old.ReceiptHandle, VisibilityTimeout: 0 })),
        { name: 'InvalidParameterValue' },
        'the old handle names a deleted message',
      );
      // Deleting a deleted message answers 200, and must leave the new one alone.
      await second.sqs.send(new DeleteMessageCommand({ QueueUrl: url2, ReceiptHandle: old.ReceiptHandle }));
      assert.deepEqual(await countsOf(second.sqs, url2), { visible: 0, inFlight: 1, delayed: 0 });
      await second.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url2, ReceiptHandle: fresh.ReceiptHandle, VisibilityTimeout: 0 }));
      const [again] = await receiveAll(second.sqs, url2);
      assert.equal(again?.MessageId, fresh.MessageId);
    } finally {
      await second.stop();
    }
  });

  itSurvives('still deduplicates FIFO sends made before the crash, by explicit id and by content', 60_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const explicitName = `dedup-${suffix()}.fifo`;
    const contentName = `dedup-cbd-${suffix()}.fifo`;
    const explicitUrl = await createQueue(first.sqs, explicitName, { FifoQueue: 'true' });
    const contentUrl = await createQueue(first.sqs, contentName, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const send = (sqs: SQSClient, url: string, body: string, dedupId?: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: dedupId }));
    const one = await send(first.sqs, explicitUrl, 'one', 'd-1');
    const two = await send(first.sqs, explicitUrl, 'two', 'd-2');
    const content = await send(first.sqs, contentUrl, 'same content');
    // 'one' is consumed before the crash: its dedup id still counts for 5 minutes (spec §E.4).
    const [received] = await receiveAll(first.sqs, explicitUrl, { MaxNumberOfMessages: 1 });
    assert.equal(received?.Body, 'one');
    await first.sqs.send(new DeleteMessageCommand({ QueueUrl: explicitUrl, ReceiptHandle: received!.ReceiptHandle }));
    await first.crash();

    const second = await launch({ dataDir });
    try {
      const explicitUrl2 = await urlOf(second.sqs, explicitName);
      const contentUrl2 = await urlOf(second.sqs, contentName);
      const dupOne = await send(second.sqs, explicitUrl2, 'one again', 'd-1');
      const dupTwo = await send(second.sqs, explicitUrl2, 'two again', 'd-2');
      const three = await send(second.sqs, explicitUrl2, 'three', 'd-3');
      const dupContent = await send(second.sqs, contentUrl2, 'same content');
      // A duplicate is accepted but not enqueued, and answered with the original MessageId (spec §E.4).
      assert.equal(dupOne.MessageId, one.MessageId);
      assert.equal(dupTwo.MessageId, two.MessageId);
      assert.equal(dupContent.MessageId, content.MessageId);
      assert.notEqual(three.MessageId, one.MessageId);
      assert.deepEqual(await drainBodies(second.sqs, explicitUrl2), ['two', 'three']);
      assert.deepEqual(await drainBodies(second.sqs, contentUrl2), ['same content']);
    } finally {
      await second.stop();
    }
  });

  itSurvives('resumes a RUNNING message move task after the restart and completes it without losing or duplicating messages', 90_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const dlqName = `mv-dlq-${suffix()}`;
    const srcName = `mv-src-${suffix()}`;
    const dstName = `mv-dst-${suffix()}`;
    const dlqUrl = await createQueue(first.sqs, dlqName);
    const dlqArn = await arnOf(first.sqs, dlqUrl);
    await createQueue(first.sqs, srcName, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const dstUrl = await createQueue(first.sqs, dstName);
    const dstArn = await arnOf(first.sqs, dstUrl);
    const total = 20;
    const bodies = Array.from({ length: total }, (_, i) => `dead letter ${i}`);
    await sendAll(first.sqs, dlqUrl, bodies);
    // The slowest rate, so the task is still running when the server dies.
    const started = await first.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: dstArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    assert.ok(started.TaskHandle);
    const listed = await first.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }));
    const [task] = listed.Results ?? [];
    // At 1 message per second, 20 messages take 20 s (spec §B StartMessageMoveTask): it must still be running.
    assert.equal(task?.Status, 'RUNNING', `the task honours MaxNumberOfMessagesPerSecond=1 and is still running: ${JSON.stringify(task)}`);
    await first.crash();

    const second = await launch({ dataDir });
    try {
      const dlqUrl2 = await urlOf(second.sqs, dlqName);
      const dstUrl2 = await urlOf(second.sqs, dstName);
      const afterRestart = await second.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }));
      const tasks = afterRestart.Results ?? [];
      assert.equal(tasks.length, 1, `one task listed after the restart: ${JSON.stringify(tasks)}`);
      const resumed = tasks[0]!;
      assert.equal(resumed.SourceArn, dlqArn);
      assert.equal(resumed.DestinationArn, dstArn);
      assert.equal(resumed.StartedTimestamp, task!.StartedTimestamp);
      assert.equal(resumed.MaxNumberOfMessagesPerSecond, 1);
      assert.equal(resumed.ApproximateNumberOfMessagesToMove, total);
      assert.ok(resumed.Status === 'RUNNING' || resumed.Status === 'COMPLETED', `status after restart: ${resumed.Status}`);
      if (resumed.Status === 'RUNNING') assert.equal(resumed.TaskHandle, started.TaskHandle);

      const done = await pollUntil('the move task to complete', POLL_BOUND_MS, async () => {
        const out = await second.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }));
        const latest = out.Results?.[0];
        return latest?.Status === 'RUNNING' ? undefined : latest;
      });
      assert.equal(done.Status, 'COMPLETED', JSON.stringify(done));
      assert.equal(done.ApproximateNumberOfMessagesMoved, total);
      assert.deepEqual(await countsOf(second.sqs, dlqUrl2), { visible: 0, inFlight: 0, delayed: 0 });
      const moved = await drainBodies(second.sqs, dstUrl2);
      assert.deepEqual([...moved].sort(), [...bodies].sort(), 'every message moved exactly once');
    } finally {
      await second.stop();
    }
  });

  itSurvives('keeps queues, their attributes, permissions, redrive settings and tags, and forgets deleted queues', 60_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir });
    const prefix = `attr-${suffix()}-`;
    const dlqUrl = await createQueue(first.sqs, `${prefix}dlq`, {}, { role: 'dlq' });
    const dlqArn = await arnOf(first.sqs, dlqUrl);
    const stdUrl = await createQueue(
      first.sqs,
      `${prefix}std`,
      {
        DelaySeconds: '7',
        MaximumMessageSize: '2048',
        MessageRetentionPeriod: '7200',
        ReceiveMessageWaitTimeSeconds: '3',
        VisibilityTimeout: '41',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }),
      },
      { team: 'durable', empty: '' },
    );
    const stdArn = await arnOf(first.sqs, stdUrl);
    const fifoUrl = await createQueue(
      first.sqs,
      `${prefix}orders.fifo`,
      { FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
      { kind: 'fifo' },
    );
    const goneUrl = await createQueue(first.sqs, `${prefix}gone`);
    await first.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: dlqUrl,
        Attributes: {
          RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [stdArn] }),
          KmsMasterKeyId: 'alias/aws/sqs',
          KmsDataKeyReusePeriodSeconds: '600',
        },
      }),
    );
    await first.sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifoUrl, Attributes: { VisibilityTimeout: '99' } }));
    await first.sqs.send(
      new AddPermissionCommand({ QueueUrl: stdUrl, Label: 'senders', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', 'ReceiveMessage'] }),
    );
    await first.sqs.send(new TagQueueCommand({ QueueUrl: stdUrl, Tags: { added: 'later', team: 'renamed' } }));
    await first.sqs.send(new UntagQueueCommand({ QueueUrl: stdUrl, TagKeys: ['empty'] }));
    await first.sqs.send(new DeleteQueueCommand({ QueueUrl: goneUrl }));

    const snapshot = async (sqs: SQSClient) => {
      const list = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
      const names = (list.QueueUrls ?? []).map((u) => u.slice(u.lastIndexOf('/') + 1)).sort();
      const queues: Record<string, unknown> = {};
      for (const name of names) {
        const url = await urlOf(sqs, name);
        const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
        queues[name] = { attributes: await attributesOf(sqs, url), tags: tags.Tags ?? {} };
      }
      const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: await urlOf(sqs, `${prefix}dlq`) }));
      const sourceNames = (sources.queueUrls ?? []).map((u) => u.slice(u.lastIndexOf('/') + 1)).sort();
      return { names, queues, sourceNames };
    };
    const before = await snapshot(first.sqs);
    assert.deepEqual(before.names, [`${prefix}dlq`, `${prefix}orders.fifo`, `${prefix}std`]);
    assert.ok((before.queues[`${prefix}std`] as { attributes: Record<string, string> }).attributes.Policy, 'the permission made a Policy');
    await first.crash();

    const second = await launch({ dataDir });
    try {
      assert.deepEqual(await snapshot(second.sqs), before);
    } finally {
      await second.stop();
    }
  });

  itSurvives('keeps nothing with --in-memory: no queue survives a restart and nothing is written to --data-dir', 60_000, async () => {
    const dataDir = await freshDataDir();
    const first = await launch({ dataDir, isInMemory: true });
    const url = await createQueue(first.sqs, `mem-${suffix()}`, {}, { t: 'v' });
    await first.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone with the process' }));
    const listed = await first.sqs.send(new ListQueuesCommand({}));
    assert.equal(listed.QueueUrls?.length, 1);
    await first.crash();
    assert.deepEqual(await readdir(dataDir), [], 'the in-memory server wrote nothing to the data directory');

    const second = await launch({ dataDir, isInMemory: true });
    try {
      const out = await second.sqs.send(new ListQueuesCommand({}));
      assert.deepEqual(out.QueueUrls ?? [], []);
    } finally {
      await second.stop();
    }
  });
});
