/** @module runtime/batch-result.test: the §F.4 table, row by row. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideBatch } from './batch-result.ts';

const IDS = new Set(['m1', 'm2', 'm3']);
const ok = (payload?: string) => ({ isSuccess: true, payload });
const kindOf = (payload: string | undefined, isReporting = true) => decideBatch(ok(payload), IDS, isReporting).kind;

describe('decideBatch (ReportBatchItemFailures)', () => {
  it('deletes everything for an empty list, a null list, {}, null and no payload', () => {
    for (const payload of ['{"batchItemFailures":[]}', '{"batchItemFailures":null}', '{}', 'null', '', undefined]) {
      assert.equal(kindOf(payload), 'delete-all', String(payload));
    }
  });

  it('deletes all but the listed ids of this batch', () => {
    const decision = decideBatch(ok('{"batchItemFailures":[{"itemIdentifier":"m2"},{"itemIdentifier":"m3"}]}'), IDS, true);
    assert.equal(decision.kind, 'partial');
    assert.deepEqual(decision.kind === 'partial' ? [...decision.failedIds] : [], ['m2', 'm3']);
  });

  it('fails the whole batch for an empty, null, missing or misspelt itemIdentifier, an id not in the batch, or bad JSON', () => {
    for (const payload of [
      '{"batchItemFailures":[{"itemIdentifier":""}]}',
      '{"batchItemFailures":[{"itemIdentifier":null}]}',
      '{"batchItemFailures":[{}]}',
      '{"batchItemFailures":[{"itemIdentifer":"m1"}]}',
      '{"batchItemFailures":[{"itemIdentifier":"m9"}]}',
      '{"batchItemFailures":[{"itemIdentifier":7}]}',
      '{"batchItemFailures":"m1"}',
      '{"batchItemFailures":[',
      '"a string"',
      '[]',
    ]) {
      assert.equal(kindOf(payload), 'fail-all', payload);
    }
  });

  it('fails the whole batch on a function error, whatever the payload', () => {
    assert.deepEqual(decideBatch({ isSuccess: false, errorType: 'Sandbox.Timedout', payload: '{}' }, IDS, true), {
      kind: 'fail-all',
      reason: 'function error (Sandbox.Timedout)',
    });
  });

  it('ignores the payload when ReportBatchItemFailures is off', () => {
    assert.equal(kindOf('{"batchItemFailures":[{"itemIdentifier":"m1"}]}', false), 'delete-all');
    assert.equal(kindOf('not json', false), 'delete-all');
  });
});
