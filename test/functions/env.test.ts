/** @module test/functions/env.test — the functions' environment readers: defaults, precedence and errors that name the variable. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FUNCTION_ENV } from '../../infra/lib/queue-stack.ts';
import { DEFAULTS, ENV, readConsumerConfig, readProducerConfig } from '../../src/functions/shared/env.ts';
import { InvalidEnvError, MissingEnvError } from '../../src/functions/shared/errors.ts';

describe('readProducerConfig', () => {
  it('requires QUEUE_URL and names it when it is missing or blank', () => {
    for (const env of [{}, { QUEUE_URL: '  ' }]) {
      assert.throws(() => readProducerConfig(env), (error: unknown) => error instanceof MissingEnvError && error.variable === 'QUEUE_URL' && /QUEUE_URL/.test(error.message));
    }
  });

  it('applies the defaults and the fallback function name when only QUEUE_URL is set', () => {
    assert.deepEqual(readProducerConfig({ QUEUE_URL: 'http://127.0.0.1:9324/000000000000/q.fifo' }, 'ctx-name'), {
      queueUrl: 'http://127.0.0.1:9324/000000000000/q.fifo',
      sendConcurrency: DEFAULTS.sendConcurrency,
      sendMaxAttempts: DEFAULTS.sendMaxAttempts,
      functionName: 'ctx-name',
    });
  });

  it('reads SEND_CONCURRENCY, SEND_MAX_ATTEMPTS and AWS_LAMBDA_FUNCTION_NAME', () => {
    const config = readProducerConfig({ QUEUE_URL: 'u', SEND_CONCURRENCY: '8', SEND_MAX_ATTEMPTS: '2', AWS_LAMBDA_FUNCTION_NAME: 'mqs-producer' }, 'ctx');
    assert.deepEqual([config.sendConcurrency, config.sendMaxAttempts, config.functionName], [8, 2, 'mqs-producer']);
  });

  it('rejects non-integer and out-of-range SEND_* values with the variable and value in the message', () => {
    for (const [name, value] of [['SEND_CONCURRENCY', '0'], ['SEND_CONCURRENCY', '2.5'], ['SEND_MAX_ATTEMPTS', '21'], ['SEND_MAX_ATTEMPTS', 'many']] as const) {
      assert.throws(
        () => readProducerConfig({ QUEUE_URL: 'u', [name]: value }),
        (error: unknown) => error instanceof InvalidEnvError && error.variable === name && error.message.includes(JSON.stringify(value)),
      );
    }
  });
});

describe('readConsumerConfig', () => {
  it('defaults to no failure injection, no work and no poison marker', () => {
    assert.deepEqual(readConsumerConfig({}), {
      functionName: DEFAULTS.functionName,
      role: '',
      failureRate: 0,
      workMs: 0,
      poisonMarker: '',
      metricsNamespace: 'mqs',
    });
  });

  it('reads every consumer variable', () => {
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'mqs-consumer-2', MQS_ROLE: 'consumer-2', FAILURE_RATE: '0.25', WORK_MS: '15', POISON_MARKER: 'BOOM', POWERTOOLS_METRICS_NAMESPACE: 'demo' };
    assert.deepEqual(readConsumerConfig(env), { functionName: 'mqs-consumer-2', role: 'consumer-2', failureRate: 0.25, workMs: 15, poisonMarker: 'BOOM', metricsNamespace: 'demo' });
  });

  it('accepts FAILURE_RATE at both ends of 0..1 and rejects values outside it', () => {
    assert.equal(readConsumerConfig({ FAILURE_RATE: '1' }).failureRate, 1);
    assert.equal(readConsumerConfig({ FAILURE_RATE: '0' }).failureRate, 0);
    for (const value of ['-0.1', '1.01', 'NaN', 'Infinity']) {
      assert.throws(() => readConsumerConfig({ FAILURE_RATE: value }), (error: unknown) => error instanceof InvalidEnvError && error.variable === 'FAILURE_RATE');
    }
  });

  it('rejects a fractional or negative WORK_MS', () => {
    for (const value of ['1.5', '-1', '60001']) {
      assert.throws(() => readConsumerConfig({ WORK_MS: value }), (error: unknown) => error instanceof InvalidEnvError && error.variable === 'WORK_MS');
    }
  });
});

describe('ENV', () => {
  it('names every variable the CDK stack sets on the functions (infra keeps its own copy, since it may not import function modules)', () => {
    const read = new Set<string>(Object.values(ENV));
    for (const name of Object.values(FUNCTION_ENV)) assert.ok(read.has(name), `${name} is set by infra but not read by src/functions/shared/env.ts`);
  });
});
