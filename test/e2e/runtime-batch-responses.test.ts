/** @module test/e2e/runtime-batch-responses: each partial batch response of §F.4, through a real mapping and queue. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { fixturePlan, type MappingSpec, type QueueSpec } from './fixtures/fixture-stack.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const STACK = 'f4';
/** Which messages of a 3-message batch stay in the queue. */
const ALL = 3;

/** Case → [messages left in flight, ReportBatchItemFailures on]. Each case has its own queue and mapping. */
const CASES: Record<string, { remaining: number; isReporting?: boolean; label: string }> = {
  'valid': { remaining: 2, label: 'a valid list of ids: only those are retried' },
  'empty-list': { remaining: 0, label: '{"batchItemFailures":[]}: all deleted' },
  'null-list': { remaining: 0, label: '{"batchItemFailures":null}: all deleted' },
  'empty-object': { remaining: 0, label: '{}: all deleted' },
  'nothing': { remaining: 0, label: 'no return value (null): all deleted' },
  'empty-id': { remaining: ALL, label: 'itemIdentifier "": whole batch retried' },
  'null-id': { remaining: ALL, label: 'itemIdentifier null: whole batch retried' },
  'wrong-key': { remaining: ALL, label: 'a misspelt itemIdentifier key: whole batch retried' },
  'unknown-id': { remaining: ALL, label: 'an id not in the batch: whole batch retried' },
  'not-an-object': { remaining: ALL, label: 'a response that is not a JSON object: whole batch retried' },
  'report-off': { remaining: 0, isReporting: false, label: 'ReportBatchItemFailures off: the payload is ignored, all deleted' },
};

const idOf = (name: string) => name.replace(/(^|-)(\w)/g, (_match, _dash: string, letter: string) => letter.toUpperCase());

describe('ReportBatchItemFailures responses (§F.4)', () => {
  let h: RuntimeHarness;
  before(async () => {
    const queues: Record<string, QueueSpec> = {};
    const mappings: Record<string, MappingSpec> = {};
    for (const [name, spec] of Object.entries(CASES)) {
      // A long visibility timeout: failed messages stay in flight for the whole test.
      queues[idOf(name)] = { visibilityTimeoutSeconds: 60 };
      mappings[`${idOf(name)}Mapping`] = { fn: 'Responder', queue: idOf(name), isReportingBatchItemFailures: spec.isReporting !== false, maximumConcurrency: 2 };
    }
    queues['Filtered'] = { visibilityTimeoutSeconds: 60 };
    mappings['FilteredMapping'] = { fn: 'Responder', queue: 'Filtered', filterPatterns: ['{"body":{"keep":[true]}}'] };
    const plan = fixturePlan(STACK, { queues, functions: { Responder: { handler: 'responder.handler' } }, mappings });
    h = await startHarness(plan, {
      beforeRuntime: async ({ sqs, urlOf }) => {
        for (const name of Object.keys(CASES)) {
          const kind = name === 'report-off' ? 'valid' : name;
          // Two of the three fail in the `valid` case (and in report-off, whose response the mapping ignores).
          const entries = [false, true, true].map((fail, index) => ({ Id: `m${index}`, MessageBody: JSON.stringify({ case: kind, fail, index }) }));
          await sqs.send(new SendMessageBatchCommand({ QueueUrl: urlOf(idOf(name)), Entries: entries }));
        }
        const filtered = [true, false, true].map((keep, index) => ({ Id: `f${index}`, MessageBody: JSON.stringify({ case: 'empty-list', keep }) }));
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: urlOf('Filtered'), Entries: filtered }));
      },
    });
    const mappingIds = [...Object.keys(CASES).map((name) => `${idOf(name)}Mapping`), 'FilteredMapping'];
    await h.waitFor('one batch per mapping', (records) => mappingIds.every((id) => records.some((record) => record.batch?.mappingId === id)));
  });
  after(async () => h?.stop());

  for (const [name, spec] of Object.entries(CASES)) {
    it(spec.label, async () => {
      const record = h.records.find((candidate) => candidate.batch?.mappingId === `${idOf(name)}Mapping`);
      const batch = record?.batch;
      assert.ok(batch !== undefined);
      assert.equal(batch.messageIds.length, ALL, 'the three messages came as one batch');
      assert.equal(record?.outcome.status, 'success');
      assert.equal(batch.failedIds.length, spec.remaining);
      assert.equal(batch.deletedIds.length, ALL - spec.remaining);
      assert.equal(batch.decision.kind, spec.remaining === 0 ? 'delete-all' : spec.remaining === ALL ? 'fail-all' : 'partial');
      // The queue agrees: what was not deleted is still in flight.
      const { Attributes } = await h.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: h.queueUrl(idOf(name)), AttributeNames: ['ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessages'] }),
      );
      assert.equal(Attributes?.['ApproximateNumberOfMessagesNotVisible'], String(spec.remaining));
      assert.equal(Attributes?.['ApproximateNumberOfMessages'], '0');
    });
  }

  it('deletes the messages FilterCriteria drops without invoking the function with them (§F.2, §F.7)', async () => {
    const batch = h.records.find((record) => record.batch?.mappingId === 'FilteredMapping')?.batch;
    assert.ok(batch !== undefined);
    assert.equal(batch.messageIds.length, ALL);
    assert.equal(batch.filteredIds.length, 1);
    assert.equal(batch.deletedIds.length, ALL);
    assert.equal(h.runtime.stats().mappings.find((mapping) => mapping.id === 'FilteredMapping')?.filteredMessages, 1);
  });
});
