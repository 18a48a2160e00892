/**
 * @module test/fuzz/malformed-requests: property-based bad-input test of the SQS server (issue 2). Thousands of
 * invalid and random requests, over real keep-alive HTTP, at every one of the 23 operations: each gets the SQS error
 * a client expects (status 400/403/404/413, `x-amzn-requestid`, `x-amzn-query-error: <Code>;Sender`, a JSON body with
 * `__type` and `message`; on the query protocol an XML `<ErrorResponse>`), the server never answers 5xx or crashes,
 * and rejected requests change nothing.
 *
 * How "nothing changes" is checked:
 * - The invalid-request property sends only requests that are invalid by construction (see invalid-requests.ts), so
 *   every one must be refused; a 200 is itself a failure, except a batch whose every entry is bad, which SQS answers
 *   200 with all entries in `Failed` (that changes nothing either). So the whole observable state of all queues
 *   (ListQueues, GetQueueAttributes(All) with message counts, tags, policies, DLQ sources, move tasks) must be
 *   identical before and after; and afterwards every FIFO dedup id the rejected sends carried must still be free.
 * - The random-request properties may send valid requests (any 200 is allowed), so they aim only at scratch queues
 *   and never name a snapshot queue; the snapshot queues' state must be identical before and after them.
 * - The query-protocol property resends, as forms, the invalid JSON cases whose meaning is the same on both protocols,
 *   plus form-level breakage; it too must change nothing.
 *
 * Reproduce a failure with `FUZZ_SEED=<seed>` (printed as a diagnostic, and by fast-check with the failing path).
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { after, before, describe, it, type TestContext } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { startServer } from '../../src/server/start-server.ts';
import { seedFromEnv } from '../helpers/fuzz-seed.ts';
import { createTestClient } from '../helpers/start.ts';
import { DEDUP_POOL, type Fixture, prepareFixture, SNAPSHOT_PREFIX } from './fixture.ts';
import { describeCase, type FuzzCase, JSON_CONTENT_TYPE, queryCodeOf, replyProblems, toRawRequest } from './fuzz-case.ts';
import { invalidRequestArbitraries, type InvalidRequestArbitraries } from './invalid-requests.ts';
import { invalidQueryArbitrary, randomQueryArbitrary } from './query-requests.ts';
import { randomRequestArbitrary, scratchRequests, VICTIM_QUEUE_NAME } from './random-requests.ts';
import { createRawClient, type RawClient } from './raw-client.ts';
import { observeState } from './state-snapshot.ts';
import { OPERATION_NAMES } from './valid-requests.ts';

/** Requests sent in parallel per property run. */
const CASES_PER_RUN = 10;
const INVALID_RUNS = 300;
const HUGE_RUNS = 12;
const RANDOM_RUNS = 150;
const QUERY_INVALID_RUNS = 150;
const QUERY_RANDOM_RUNS = 80;

type RunningServer = Awaited<ReturnType<typeof startServer>>;

/**
 * `FUZZ_TRACE=<file>` appends every request and its answer status to the file, in answer order: a failure that
 * depends on earlier requests (state) can then be traced back.
 */
const TRACE_FILE = process.env.FUZZ_TRACE;

/** How the answers were distributed (for the diagnostics: shows the fuzzing reaches deep validation). */
class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
  toString(): string {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  }
}

describe('malformed requests (property-based)', { concurrency: false }, () => {
  const seed = seedFromEnv();
  let srv: RunningServer;
  let sqs: SQSClient;
  let raw: RawClient;
  let fixture: Fixture;
  let invalid: InvalidRequestArbitraries;

  before(async () => {
    srv = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
    sqs = createTestClient(srv.url);
    raw = createRawClient(srv.url);
    fixture = await prepareFixture(sqs, srv.url);
    invalid = invalidRequestArbitraries(fixture);
  });

  after(async () => {
    raw?.close();
    sqs?.destroy();
    await srv?.stop();
  });

  /** Sends the cases in parallel and returns every problem (wrong answer, no answer), one line each. */
  async function sendAndCheck(cases: readonly FuzzCase[], tally: Tally): Promise<string[]> {
    const problems: string[] = [];
    await Promise.all(
      cases.map(async (c) => {
        try {
          const reply = await raw.post(toRawRequest(c));
          if (TRACE_FILE) appendFileSync(TRACE_FILE, `${reply.status} ${reply.text.slice(0, 200)}\n    ${describeCase(c)}\n`);
          tally.add(reply.status === 200 ? '200' : `${reply.status}:${queryCodeOf(reply) ?? '?'}`);
          for (const p of replyProblems(c, reply)) problems.push(`${p}\n    request: ${describeCase(c)}`);
        } catch (error) {
          problems.push(`no answer (${error instanceof Error ? error.message : String(error)})\n    request: ${describeCase(c)}`);
        }
      }),
    );
    // The server must still serve a valid request after every run.
    const alive = await raw.post({
      headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: Buffer.from(JSON.stringify({ QueueNamePrefix: SNAPSHOT_PREFIX })),
    });
    if (alive.status !== 200) problems.push(`a valid ListQueues got ${alive.status} after the run: ${alive.text.slice(0, 200)}`);
    return problems;
  }

  async function runProperty(arb: fc.Arbitrary<FuzzCase[]>, numRuns: number, tally: Tally, beforeRun?: () => Promise<void>): Promise<void> {
    await fc.assert(
      fc.asyncProperty(arb, async (cases) => {
        await beforeRun?.();
        const problems = await sendAndCheck(cases, tally);
        assert.deepEqual(problems, [], `seed ${seed}: ${problems.length} wrong answer(s):\n${problems.join('\n')}`);
      }),
      // The failing run's requests are listed one by one, so shrinking adds little; replay with seed and path.
      { seed, numRuns, endOnFailure: true, includeErrorInReport: true },
    );
  }

  it('has a valid request for each of the 23 operations to mutate', () => {
    const covered = new Set(invalid.specs.map((s) => s.action));
    assert.deepEqual([...covered].sort(), [...OPERATION_NAMES].sort());
  });

  it('refuses thousands of invalid requests with the expected SQS error, and nothing changes', { timeout: 120_000 }, async (t: TestContext) => {
    t.diagnostic(`seed ${seed} (rerun with FUZZ_SEED=${seed})`);
    const stateBefore = await observeState(sqs, 'fz-');
    const tally = new Tally();
    await runProperty(fc.array(invalid.request, { minLength: CASES_PER_RUN, maxLength: CASES_PER_RUN }), INVALID_RUNS, tally);
    // Bodies over the cap: a few, one at a time (each is megabytes).
    await runProperty(fc.array(invalid.huge, { minLength: 1, maxLength: 1 }), HUGE_RUNS, tally);
    t.diagnostic(`${tally.total} invalid requests: ${tally.toString()}`);
    assert.ok(tally.total >= INVALID_RUNS * CASES_PER_RUN);

    assert.deepEqual(await observeState(sqs, 'fz-'), stateBefore, 'the rejected requests changed the state');

    // A rejected FIFO send must not have recorded its deduplication id: each is still free, so each send enqueues.
    const countOf = async () =>
      Number(
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: fixture.snap.fifo.url, AttributeNames: ['ApproximateNumberOfMessages'] })))
          .Attributes?.ApproximateNumberOfMessages,
      );
    const countBefore = await countOf();
    for (const dedupId of DEDUP_POOL) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: fixture.snap.fifo.url, MessageBody: `dedup check ${dedupId}`, MessageGroupId: 'dedup-check', MessageDeduplicationId: dedupId }),
      );
    }
    assert.equal(await countOf(), countBefore + DEDUP_POOL.length, 'a rejected send left its dedup id behind');
  });

  it('answers random requests with a well-formed answer, never a server error, and leaves other queues alone', { timeout: 120_000 }, async (t: TestContext) => {
    const stateBefore = await observeState(sqs, SNAPSHOT_PREFIX);
    const tally = new Tally();
    const arb = randomRequestArbitrary(fixture);
    const recreateVictim = async () => {
      await sqs.send(new CreateQueueCommand({ QueueName: VICTIM_QUEUE_NAME }));
    };
    await runProperty(fc.array(arb, { minLength: CASES_PER_RUN, maxLength: CASES_PER_RUN }), RANDOM_RUNS, tally, recreateVictim);
    t.diagnostic(`${tally.total} random requests: ${tally.toString()}`);
    assert.ok(tally.total >= RANDOM_RUNS * CASES_PER_RUN);
    assert.deepEqual(await observeState(sqs, SNAPSHOT_PREFIX), stateBefore, 'requests to scratch queues changed the snapshot queues');
  });

  it('answers invalid and random query-protocol (form) requests with well-formed XML, and refusals change nothing', { timeout: 120_000 }, async (t: TestContext) => {
    // Only the snapshot queues: the scratch queues may still change by themselves (messages the random requests
    // sent with a delay become visible).
    const stateBefore = await observeState(sqs, SNAPSHOT_PREFIX);
    const tally = new Tally();
    const invalidForms = invalidQueryArbitrary(invalid.request);
    await runProperty(fc.array(invalidForms, { minLength: CASES_PER_RUN, maxLength: CASES_PER_RUN }), QUERY_INVALID_RUNS, tally);
    t.diagnostic(`${tally.total} invalid query requests: ${tally.toString()}`);
    assert.deepEqual(await observeState(sqs, SNAPSHOT_PREFIX), stateBefore, 'rejected query requests changed the state');

    const snapshotBefore = await observeState(sqs, SNAPSHOT_PREFIX);
    const randomTally = new Tally();
    const randomForms = randomQueryArbitrary(fixture, scratchRequests(fixture));
    const recreateVictim = async () => {
      await sqs.send(new CreateQueueCommand({ QueueName: VICTIM_QUEUE_NAME }));
    };
    await runProperty(fc.array(randomForms, { minLength: CASES_PER_RUN, maxLength: CASES_PER_RUN }), QUERY_RANDOM_RUNS, randomTally, recreateVictim);
    t.diagnostic(`${randomTally.total} random query requests: ${randomTally.toString()}`);
    assert.ok(tally.total + randomTally.total >= (QUERY_INVALID_RUNS + QUERY_RANDOM_RUNS) * CASES_PER_RUN);
    assert.deepEqual(await observeState(sqs, SNAPSHOT_PREFIX), snapshotBefore, 'query requests to scratch queues changed the snapshot queues');
  });
});
