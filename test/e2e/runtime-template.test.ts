/**
 * @module test/e2e/runtime-template: the real thing: the CDK app synthesized (only if it changed), its template read,
 * our producer and consumers run from their bundled assets; the producer fills the FIFO queue and both consumers drain it.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { describeUnsupported, ensureSynth, findFunction, type InvocationRecord, loadPlan, type RuntimePlan } from '../../src/runtime/index.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COUNT = 200;
const GROUPS = 10;
/** A cold synth bundles three functions with esbuild and runs cdk-nag. */
const SYNTH_LIMIT_MS = 120_000;

interface ProcessedLine {
  message: string;
  function: string;
  group: string;
  sequence: number;
  runId: string;
}

describe('the synthesized CDK app on the local runtime', { timeout: SYNTH_LIMIT_MS + 60_000 }, () => {
  let plan: RuntimePlan;
  let h: RuntimeHarness;
  before(async () => {
    const synth = await ensureSynth({ cwd: ROOT });
    plan = loadPlan({ cdkOut: synth.cdkOut });
    h = await startHarness(plan);
  });
  after(async () => h?.stop());

  it('reads the queues, the three functions and the two mappings from the template', () => {
    assert.deepEqual(plan.queues.map((queue) => queue.isFifo), [true, true]);
    const queue = plan.queues.find((candidate) => candidate.dependsOn.length === 1);
    assert.ok(queue !== undefined, 'the main queue redrives to the DLQ');
    for (const role of ['producer', 'consumer-1', 'consumer-2']) {
      const fn = findFunction(plan, role);
      assert.equal(fn.logging.format, 'JSON');
      assert.equal(fn.logging.logGroup, `/aws/lambda/${fn.name}`);
    }
    assert.deepEqual(
      plan.mappings.map((mapping) => [mapping.maximumConcurrency, mapping.isReportingBatchItemFailures, mapping.batchSize]),
      [
        [2, true, 10],
        [2, true, 10],
      ],
    );
    assert.match(describeUnsupported(plan) ?? '', /IAM::Role .*are not emulated/);
  });

  it('lets the producer fill the FIFO queue and both consumers process every message once, in group order', async () => {
    const producer = findFunction(plan, 'producer').name;
    const consumers = plan.mappings.map((mapping) => mapping.functionName);
    const deleted = (records: readonly InvocationRecord[]) => records.reduce((sum, record) => sum + (record.batch?.deletedIds.length ?? 0), 0);
    const invoked = await h.runtime.invoke(producer, { count: COUNT, groups: GROUPS });
    assert.equal(invoked.status, 'success', JSON.stringify(invoked.error));
    const result = invoked.result as { sent: number; failed: number; runId: string };
    assert.equal(result.sent, COUNT);
    assert.equal(result.failed, 0);
    await h.waitFor(`${COUNT} messages processed`, (records) => deleted(records) === COUNT);

    // What `mqs verify` will read: the consumers' "processed" lines, in log order.
    const lines = h.runtime.logStore
      .query({ groups: consumers.map((name) => `/aws/lambda/${name}`), filter: '"message":"processed"' })
      .map((event) => JSON.parse(event.message) as ProcessedLine)
      .filter((line) => line.runId === result.runId);
    assert.equal(lines.length, COUNT);
    const byGroup = new Map<string, number[]>();
    for (const line of lines) byGroup.set(line.group, [...(byGroup.get(line.group) ?? []), line.sequence]);
    assert.equal(byGroup.size, GROUPS);
    for (const [group, sequences] of byGroup) {
      assert.deepEqual(sequences, Array.from({ length: COUNT / GROUPS }, (_, index) => index + 1), group);
    }
    for (const consumer of consumers) assert.ok(lines.some((line) => line.function === consumer), `${consumer} processed messages`);
    const stats = h.runtime.stats();
    for (const mapping of stats.mappings) assert.ok(mapping.maxInFlightBatches <= 2, `${mapping.id} stayed within MaximumConcurrency`);
  });
});
