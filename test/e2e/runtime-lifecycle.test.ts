/** @module test/e2e/runtime-lifecycle: cold then warm starts, isolation, context/env and the stored log bytes of invocations. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InvokeResult } from '../../src/runtime/index.ts';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const STACK = 'life';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STREAM = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

interface BasicResult {
  invocations: number;
  loadedAt: number;
  mutatedBefore: string | null;
  env: Record<string, string | null>;
  context: Record<string, unknown> & { awsRequestId: string; logStreamName: string; remainingTimeInMillis: number };
}

const resultOf = (invoked: InvokeResult) => invoked.result as BasicResult;

describe('function instances (direct invoke)', () => {
  let h: RuntimeHarness;
  before(async () => {
    const plan = fixturePlan(STACK, {
      queues: { Jobs: {} },
      functions: {
        Text: {
          handler: 'basic.handler',
          timeoutSeconds: 5,
          environment: { GREETING: 'hello', QUEUE_URL: { Ref: 'Jobs' }, QUEUE_ARN: { 'Fn::GetAtt': ['Jobs', 'Arn'] } },
        },
        Json: { handler: 'basic.handler', memorySizeMb: 256, environment: { GREETING: 'bonjour' }, logFormat: 'JSON' },
        Bytes: { handler: 'basic.handler', environment: { GREETING: 'hello' } },
        Crashy: { handler: 'crashy.handler' },
        BrokenInit: { handler: 'broken-init.handler' },
        Missing: { handler: 'basic.notExported' },
      },
    });
    h = await startHarness(plan);
  });
  after(async () => h?.stop());

  it('starts cold once, then reuses the warm instance with its module state', async () => {
    const first = await h.runtime.invoke(`${STACK}-Text`, { n: 1 });
    const second = await h.runtime.invoke(`${STACK}-Text`, { n: 2 });
    assert.equal(first.status, 'success');
    assert.equal(resultOf(first).invocations, 1);
    assert.equal(resultOf(second).invocations, 2);
    assert.equal(resultOf(second).loadedAt, resultOf(first).loadedAt);
    assert.equal(resultOf(second).mutatedBefore, resultOf(first).context.awsRequestId);
    assert.ok(first.outcome.status === 'success' && second.outcome.status === 'success');
    assert.equal(second.outcome.instanceId, first.outcome.instanceId);
    assert.match(first.report ?? '', /\tInit Duration: \d+\.\d{2} ms\t\n$/);
    assert.doesNotMatch(second.report ?? '', /Init Duration/);
  });

  it('gives concurrent invocations separate instances, each with its own module state and environment', async () => {
    const [a, b] = await Promise.all([
      h.runtime.invoke(`${STACK}-Text`, { sleepMs: 300 }),
      h.runtime.invoke(`${STACK}-Text`, { sleepMs: 300 }),
    ]);
    assert.ok(a !== undefined && b !== undefined);
    const streams = [resultOf(a).context.logStreamName, resultOf(b).context.logStreamName];
    assert.notEqual(streams[0], streams[1]);
    // One of them may be the warm instance of the previous test; the other is new and saw nothing of it.
    const fresh = [a, b].map(resultOf).find((result) => result.invocations === 1);
    assert.ok(fresh !== undefined, 'a second instance was started');
    assert.equal(fresh.mutatedBefore, null);
    assert.equal(fresh.env['AWS_LAMBDA_LOG_STREAM_NAME'], fresh.context.logStreamName);
    const other = await h.runtime.invoke(`${STACK}-Json`, {});
    assert.equal(resultOf(other).env['GREETING'], 'bonjour');
    assert.equal(resultOf(other).mutatedBefore, null);
  });

  it('hands the handler the Lambda context and environment (§F.5)', async () => {
    const invoked = await h.runtime.invoke(`${STACK}-Text`, {});
    const { context, env } = resultOf(invoked);
    const name = `${STACK}-Text`;
    assert.match(context.awsRequestId, UUID);
    assert.equal(context['functionName'], name);
    assert.equal(context['functionVersion'], '$LATEST');
    assert.equal(context['invokedFunctionArn'], `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
    assert.equal(context['memoryLimitInMB'], '128');
    assert.equal(context['logGroupName'], `/aws/lambda/${name}`);
    assert.match(context.logStreamName, STREAM);
    assert.equal(context['callbackWaitsForEmptyEventLoop'], true);
    assert.ok(context.remainingTimeInMillis > 0 && context.remainingTimeInMillis <= 5_000);
    assert.deepEqual(
      { ...env, AWS_LAMBDA_LOG_STREAM_NAME: null, LAMBDA_TASK_ROOT: null },
      {
        GREETING: 'hello',
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: null,
        AWS_LAMBDA_LOG_FORMAT: 'Text',
        AWS_LAMBDA_LOG_LEVEL: null,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SQS: h.endpoint,
        AWS_ACCESS_KEY_ID: 'AKIAMQSLOCAL00000000',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: null,
        _HANDLER: 'basic.handler',
        QUEUE_URL: h.queueUrl('Jobs'),
        QUEUE_ARN: h.runtime.bindings.queues.get('Jobs')?.arn ?? 'missing',
      },
    );
    assert.match(env['LAMBDA_TASK_ROOT'] ?? '', /fixtures\/handlers$/);
  });

  it('stores INIT_START, START, application lines, END and REPORT of a cold Text invocation byte for byte (§F.6)', async () => {
    const invoked = await h.runtime.invoke(`${STACK}-Bytes`, { sleepMs: 1 });
    assert.ok(invoked.outcome.status === 'success');
    const { requestId, logStream } = invoked.outcome;
    const messages = h.runtime.logStore.query({ group: `/aws/lambda/${STACK}-Bytes`, stream: logStream }).map((event) => event.message);
    assert.match(messages[0] ?? '', /^INIT_START Runtime Version: nodejs:\d+\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/);
    assert.match(messages[1] ?? '', new RegExp(`^${ISO}\\tundefined\\tINFO\\tinit hello\\n$`));
    assert.equal(messages[2], `START RequestId: ${requestId} Version: $LATEST\n`);
    assert.match(messages[3] ?? '', new RegExp(`^${ISO}\\t${requestId}\\tINFO\\tevent { sleepMs: 1 }\\n$`));
    assert.match(messages[4] ?? '', new RegExp(`^${ISO}\\t${requestId}\\tINFO\\t{ nested: { a: 1 } }\\n$`));
    assert.equal(messages[5], '{"raw":"line"}\n');
    assert.match(messages[6] ?? '', new RegExp(`^${ISO}\\t${requestId}\\tDEBUG\\tdebug line\\n$`), 'Text format has no level filter');
    assert.equal(messages[7], `END RequestId: ${requestId}\n`);
    const report = messages[8] ?? '';
    const fields = /^REPORT RequestId: (\S+)\tDuration: (\d+\.\d{2}) ms\tBilled Duration: (\d+) ms\tMemory Size: 128 MB\tMax Memory Used: (\d+) MB\tInit Duration: (\d+\.\d{2}) ms\t\n$/.exec(report);
    assert.ok(fields !== null, `REPORT line: ${JSON.stringify(report)}`);
    assert.equal(fields[1], requestId);
    assert.equal(Number(fields[3]), Math.ceil(Number(fields[2])));
    assert.equal(report, invoked.report);
    assert.equal(messages.length, 9);

    const warm = await h.runtime.invoke(`${STACK}-Bytes`, { sleepMs: 1 });
    assert.ok(warm.outcome.status === 'success');
    const warmReport = h.runtime.logStore.query({ stream: logStream, filter: `REPORT RequestId: ${warm.outcome.requestId}` })[0]?.message ?? '';
    assert.match(warmReport, /\tMax Memory Used: \d+ MB\t\n$/);
  });

  it('logs a thrown error as Lambda does and returns its error payload', async () => {
    const invoked = await h.runtime.invoke(`${STACK}-Text`, { throw: 'boom' });
    assert.equal(invoked.status, 'error');
    assert.equal(invoked.error?.errorType, 'Error');
    assert.equal(invoked.error?.errorMessage, 'boom');
    assert.equal(invoked.error?.trace?.[0], 'Error: boom');
    assert.ok(invoked.outcome.status === 'error');
    const line = h.runtime.logStore.query({ stream: invoked.outcome.logStream, filter: 'Invoke Error' })[0]?.message ?? '';
    const match = new RegExp(`^${ISO}\\t${invoked.outcome.requestId}\\tERROR\\tInvoke Error \\t(\\{.*\\})\\n$`, 's').exec(line);
    assert.ok(match !== null, `Invoke Error line: ${JSON.stringify(line)}`);
    const logged = JSON.parse(match[1] ?? '{}') as { errorType: string; errorMessage: string; stack: string[] };
    assert.equal(logged.errorType, 'Error');
    assert.equal(logged.errorMessage, 'boom');
    assert.equal(logged.stack[0], 'Error: boom');
  });

  it('writes JSON-format functions as platform records and JSON application lines', async () => {
    const invoked = await h.runtime.invoke(`${STACK}-Json`, { n: 7 });
    assert.ok(invoked.outcome.status === 'success');
    const { requestId, logStream } = invoked.outcome;
    const events = h.runtime.logStore.query({ group: `/aws/lambda/${STACK}-Json`, stream: logStream }).map((event) => event.message);
    const start = events.findIndex((message) => message.includes('"platform.start"') && message.includes(requestId));
    assert.ok(start >= 0);
    assert.deepEqual(JSON.parse(events[start] ?? '').record, { requestId, version: '$LATEST' });
    const appLine = JSON.parse(events[start + 2] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(appLine), ['timestamp', 'level', 'requestId', 'message']);
    assert.deepEqual(appLine['message'], { nested: { a: 1 } });
    assert.ok(!events.some((message) => message.includes('debug line')), 'DEBUG is below ApplicationLogLevel INFO');
    const report = JSON.parse(events.find((message) => message.includes('"platform.report"') && message.includes(requestId)) ?? '{}') as {
      record: { status: string; metrics: Record<string, number> };
    };
    assert.equal(report.record.status, 'success');
    assert.equal(report.record.metrics['memorySizeMB'], 256);
    assert.equal(report.record.metrics['billedDurationMs'], Math.ceil(report.record.metrics['durationMs'] ?? Number.NaN));
    assert.equal(resultOf(invoked).env['AWS_LAMBDA_LOG_FORMAT'], 'JSON');
    assert.equal(resultOf(invoked).env['AWS_LAMBDA_LOG_LEVEL'], 'INFO');
  });

  it('fails the invocation and replaces the instance after an uncaught exception or an unhandled rejection', async () => {
    const fine = await h.runtime.invoke(`${STACK}-Crashy`, {});
    for (const [event, errorType] of [
      [{ uncaught: true }, 'Runtime.UncaughtException'],
      [{ rejection: true }, 'Runtime.UnhandledPromiseRejection'],
    ] as const) {
      const crashed = await h.runtime.invoke(`${STACK}-Crashy`, event);
      assert.equal(crashed.status, 'error');
      assert.equal(crashed.error?.errorType, errorType);
      const after = await h.runtime.invoke(`${STACK}-Crashy`, {});
      assert.equal(after.status, 'success');
      assert.notEqual((after.result as { instanceId: string }).instanceId, (fine.result as { instanceId: string }).instanceId);
      assert.ok(after.outcome.status === 'success' && after.outcome.initDurationMs !== undefined, 'a new instance started cold');
    }
  });

  it('fails the invocation with the init error when the module cannot be imported or has no such export', async () => {
    const broken = await h.runtime.invoke(`${STACK}-BrokenInit`, {});
    assert.equal(broken.status, 'error');
    assert.equal(broken.error?.errorMessage, 'cannot initialise');
    const missing = await h.runtime.invoke(`${STACK}-Missing`, {});
    assert.equal(missing.error?.errorType, 'Runtime.HandlerNotFound');
    assert.equal(missing.error?.errorMessage, 'basic.notExported is undefined or not exported');
  });
});
