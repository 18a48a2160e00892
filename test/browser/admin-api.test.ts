/**
 * @module test/browser/admin-api: the functions and logs part of the dashboard's admin API with a real local Lambda
 * runtime attached (what `mqs start` does): counters as the runtime counts them, mappings, per-second history, log
 * streams, and the log tail (newest lines, lines after an id, filter, stream, gap) — the data the page draws.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type Runtime, startRuntime } from '../../src/runtime/index.ts';
import { type RunningServer, startServer } from '../../src/server/start-server.ts';
import { fixturePlan } from '../e2e/fixtures/fixture-stack.ts';
import { createTestClient } from '../helpers/start.ts';

const STACK = 'dash';
const FN = `${STACK}-Basic`;
const WAIT_MS = 20_000;

interface LogAnswer {
  events: Array<{ id: number; group: string; stream: string; timestamp: number; message: string }>;
  lastId: number | undefined;
  hasGap: boolean;
}

async function get<T>(server: RunningServer, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

/** Re-reads `path` every 100 ms until `isDone(body)`; rejects after {@link WAIT_MS}. */
async function poll<T>(server: RunningServer, path: string, isDone: (body: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const { body } = await get<T>(server, path);
    if (isDone(body)) return body;
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${path}: ${JSON.stringify(body).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the admin API of functions and logs', () => {
  let server: RunningServer;
  let runtime: Runtime;
  let sqs: SQSClient;
  let detach: () => void;
  let requestId: string;

  before(async () => {
    const plan = fixturePlan(STACK, {
      queues: { Jobs: {} },
      functions: { Basic: { handler: 'basic.handler', logFormat: 'Text' } },
      mappings: { JobsMapping: { fn: 'Basic', queue: 'Jobs', maximumConcurrency: 2 } },
    });
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, env: {} });
    runtime = await startRuntime({ plan, endpoint: server.url });
    assert.ok(server.dashboard);
    detach = server.dashboard.attachRuntime(runtime);
    sqs = createTestClient(server.url);
    const invoked = await runtime.invoke(FN, { hello: 'dashboard' });
    assert.equal(invoked.status, 'success');
    requestId = 'requestId' in invoked.outcome ? invoked.outcome.requestId : '';
    const queueUrl = runtime.bindings.queues.get('Jobs')?.url;
    assert.ok(queueUrl);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `job ${i}` })) }));
  });
  after(async () => {
    sqs?.destroy();
    await runtime?.stop({ force: true });
    await server?.stop();
  });

  it("lists the functions with the runtime's counters and the event source mappings with their state", async () => {
    const body = await poll<{ isAttached: boolean; functions: Array<Record<string, unknown>>; mappings: Array<Record<string, unknown>> }>(server, '/_admin/functions', (b) =>
      b.mappings.some((m) => Number(m['deletedMessages']) === 3),
    );
    assert.equal(body.isAttached, true);
    const stats = runtime.stats();
    const fn = body.functions.find((f) => f['name'] === FN);
    assert.ok(fn);
    const own = stats.functions.find((f) => f.name === FN);
    assert.ok(own);
    assert.equal(fn['invocations'], own.invocations);
    assert.equal(fn['errors'], own.errors);
    assert.equal(fn['logGroup'], `/aws/lambda/${FN}`);
    assert.equal(fn['avgDurationMs'], Math.round((own.totalDurationMs / own.invocations) * 10) / 10);
    assert.ok(Number(fn['p99DurationMs']) > 0);
    assert.deepEqual(
      body.mappings.map((m) => [m['id'], m['functionName'], m['state'], m['maximumConcurrency']]),
      [['JobsMapping', FN, 'Enabled', 2]],
    );
  });

  it('keeps a per-second history of invocations, duration and concurrency', async () => {
    const history = await poll<Record<string, number[]>>(server, `/_admin/functions/${FN}/history`, (h) => (h['invocations'] ?? []).some((v) => v > 0));
    for (const column of ['t', 'invocations', 'errors', 'throttles', 'avgDurationMs', 'p99DurationMs', 'concurrency', 'instances']) {
      assert.equal(history[column]?.length, history['t']?.length, column);
    }
    assert.ok((history['instances'] ?? []).some((v) => v > 0));
    const later = await get<Record<string, number[]>>(server, `/_admin/functions/${FN}/history?after=${history['t']!.at(-1)}`);
    assert.ok(later.body['t']!.every((t) => t > history['t']!.at(-1)!));
  });

  it("tails a function's log: the newest lines, START / END / REPORT included, then only what follows", async () => {
    const { body } = await get<LogAnswer>(server, `/_admin/logs?function=${FN}`);
    const lines = body.events.map((event) => event.message);
    for (const kind of ['START', 'END', 'REPORT']) {
      assert.ok(lines.some((line) => line.startsWith(`${kind} RequestId: ${requestId}`)), `${kind} line of ${requestId}`);
    }
    assert.ok(body.events.every((event) => event.group === `/aws/lambda/${FN}`));
    assert.deepEqual(
      body.events.map((event) => event.id),
      [...body.events.map((event) => event.id)].sort((a, b) => a - b),
    );
    assert.equal(body.lastId, body.events.at(-1)?.id);
    const next = await runtime.invoke(FN, { again: true });
    const nextId = 'requestId' in next.outcome ? next.outcome.requestId : '';
    const after = await poll<LogAnswer>(server, `/_admin/logs?function=${FN}&afterId=${body.lastId}`, (b) => b.events.some((event) => event.message.startsWith('REPORT')));
    assert.ok(after.events.every((event) => event.id > body.lastId!));
    assert.ok(after.events.every((event) => !event.message.includes(requestId)), 'nothing from before');
    assert.ok(after.events.some((event) => event.message.startsWith(`START RequestId: ${nextId}`)));
  });

  it('filters, narrows to a stream, and says when more lines arrived than asked for', async () => {
    const filtered = await get<LogAnswer>(server, `/_admin/logs?function=${FN}&filter=${encodeURIComponent('REPORT RequestId')}`);
    assert.ok(filtered.body.events.length >= 2);
    assert.ok(filtered.body.events.every((event) => event.message.startsWith('REPORT RequestId')));
    const { body: streams } = await get<{ streams: Array<{ stream: string; events: number; lastEventAt: number }> }>(server, `/_admin/functions/${FN}/streams`);
    assert.ok(streams.streams.length >= 1);
    assert.deepEqual(
      streams.streams.map((s) => s.lastEventAt),
      [...streams.streams.map((s) => s.lastEventAt)].sort((a, b) => b - a),
    );
    const one = streams.streams[0]!;
    const inStream = await get<LogAnswer>(server, `/_admin/logs?function=${FN}&stream=${encodeURIComponent(one.stream)}&limit=2000`);
    assert.equal(inStream.body.events.length, one.events);
    assert.ok(inStream.body.events.every((event) => event.stream === one.stream));
    const all = await get<LogAnswer>(server, `/_admin/logs?function=${FN}&limit=2000`);
    const firstId = all.body.events[0]!.id;
    const gap = await get<LogAnswer>(server, `/_admin/logs?function=${FN}&afterId=${firstId - 1}&limit=2`);
    assert.equal(gap.body.hasGap, true);
    assert.ok(gap.body.events.length <= 2);
    const everyFunction = await get<LogAnswer>(server, '/_admin/logs?limit=5');
    assert.ok(everyFunction.body.events.length > 0 && everyFunction.body.events.length <= 5);
  });

  it('answers 404 for an unknown function, 400 for a bad limit, and queues only once the runtime is detached', async () => {
    assert.equal((await get(server, '/_admin/functions/nope/history')).status, 404);
    assert.equal((await get(server, '/_admin/logs?function=nope')).status, 404);
    assert.equal((await get(server, `/_admin/logs?function=${FN}&limit=0`)).status, 400);
    assert.equal((await get(server, `/_admin/logs?afterId=x`)).status, 400);
    assert.equal((await get(server, '/_admin/functions/x/y')).status, 404);
    detach();
    const { body } = await get<{ isAttached: boolean }>(server, '/_admin/functions');
    assert.equal(body.isAttached, false);
    assert.equal((await get(server, '/_admin/logs')).status, 503);
  });
});
