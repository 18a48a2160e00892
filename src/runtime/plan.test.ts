/** @module runtime/plan.test: finding functions and overriding plan settings without a new synth. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findFunction, overridePlan, type RuntimePlan } from './plan.ts';

const logging = { format: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO', logGroup: '/aws/lambda/x' } as const;
const fn = (name: string, role: string) => ({ logicalId: `${role}Id`, name, codeDir: '/c', handler: 'index.handler', runtime: 'nodejs22.x', memorySizeMb: 256, timeoutSeconds: 30, environment: { WORK_MS: '0', MQS_ROLE: role }, logging, role });
const PLAN: RuntimePlan = {
  stacks: ['s'],
  queues: [],
  functions: [fn('s-producer', 'producer'), fn('s-consumer-1', 'consumer-1'), fn('s-consumer-2', 'consumer-2')],
  mappings: ['consumer-1', 'consumer-2'].map((role) => ({ logicalId: `${role}Mapping`, functionName: `s-${role}`, eventSourceArn: 'arn:aws:sqs:r:1:q', batchSize: 10, maximumBatchingWindowSeconds: 0, maximumConcurrency: 2, isReportingBatchItemFailures: true, isEnabled: true, filterPatterns: [] })),
  unsupported: [],
  warnings: [],
};

describe('plan helpers', () => {
  it('finds a function by name, role or logical id', () => {
    assert.equal(findFunction(PLAN, 's-producer').role, 'producer');
    assert.equal(findFunction(PLAN, 'consumer-2').name, 's-consumer-2');
    assert.equal(findFunction(PLAN, 'consumer-1Id').name, 's-consumer-1');
    assert.throws(() => findFunction(PLAN, 'nope'), /known: s-producer \(producer\)/);
  });

  it('overrides function settings and mapping settings in a copy', () => {
    const changed = overridePlan(PLAN, {
      functions: { 'consumer-1': { environment: { WORK_MS: '200', FAILURE_RATE: '0.1' }, timeoutSeconds: 5 } },
      mappings: { 'consumer-2': { maximumConcurrency: 5 } },
    });
    assert.deepEqual(findFunction(changed, 'consumer-1').environment, { WORK_MS: '200', MQS_ROLE: 'consumer-1', FAILURE_RATE: '0.1' });
    assert.equal(findFunction(changed, 'consumer-1').timeoutSeconds, 5);
    assert.equal(findFunction(changed, 'consumer-2').environment['WORK_MS'], '0');
    assert.deepEqual(changed.mappings.map((mapping) => mapping.maximumConcurrency), [2, 5]);
    assert.equal(findFunction(PLAN, 'consumer-1').environment['WORK_MS'], '0', 'the original is untouched');
    assert.throws(() => overridePlan(PLAN, { mappings: { producer: { batchSize: 1 } } }), /no event source mapping "producer"/);
  });
});
