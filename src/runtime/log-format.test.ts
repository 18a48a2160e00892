/** @module runtime/log-format.test: the CloudWatch events of §F.6, byte for byte (platform and console lines). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { billedDurationMs, jsonEvents, localRuntimeVersion, logStreamName, textEvents } from './log-format.ts';
import { formatErrorForText, formatJsonEvent, formatTextEvent, toErrorPayload } from './worker/console-format.mjs';

const ID = '8476a536-e9f4-11e8-9739-2dfe598c3fcd';
const TIME = Date.UTC(2025, 0, 1, 0, 0, 0, 0);
const RUNTIME = { version: 'nodejs:20.v13', arn: `arn:aws:lambda:us-east-1::runtime:${'ab'.repeat(32)}` };

describe('platform events, Text format', () => {
  it('writes START with spaces', () => {
    assert.equal(textEvents.start(ID), `START RequestId: ${ID} Version: $LATEST\n`);
  });

  it('writes END', () => {
    assert.equal(textEvents.end(ID), `END RequestId: ${ID}\n`);
  });

  it('writes REPORT with tabs, two decimals, a ceiled Billed Duration, Init Duration and a trailing tab', () => {
    const report = textEvents.report({ requestId: ID, durationMs: 3.0149, memorySizeMb: 128, maxMemoryUsedMb: 36, initDurationMs: 110.1 });
    assert.equal(
      report,
      `REPORT RequestId: ${ID}\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t\n`,
    );
  });

  it('leaves Init Duration out of a warm REPORT', () => {
    const report = textEvents.report({ requestId: ID, durationMs: 1.5, memorySizeMb: 256, maxMemoryUsedMb: 70 });
    assert.equal(report, `REPORT RequestId: ${ID}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t\n`);
  });

  it('writes INIT_START with the runtime version and its ARN', () => {
    assert.equal(textEvents.initStart(RUNTIME), `INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: ${RUNTIME.arn}\n`);
  });

  it('writes the timeout line with spaces and the elapsed seconds', () => {
    assert.equal(textEvents.timedOut(TIME, ID, 3071.27), `2025-01-01T00:00:00.000Z ${ID} Task timed out after 3.07 seconds\n`);
  });

  it('bills whole milliseconds, rounded up', () => {
    assert.deepEqual([0.2, 1, 1.01, 2999.5].map(billedDurationMs), [1, 1, 2, 3000]);
  });
});

describe('platform events, JSON format', () => {
  it('writes platform.start', () => {
    assert.equal(jsonEvents.start(TIME, ID), `{"time":"2025-01-01T00:00:00.000Z","type":"platform.start","record":{"requestId":"${ID}","version":"$LATEST"}}`);
  });

  it('writes platform.report with metrics as numbers', () => {
    const report = jsonEvents.report(TIME, { requestId: ID, durationMs: 3.0149, memorySizeMb: 128, maxMemoryUsedMb: 36, initDurationMs: 110.1 }, 'success');
    assert.equal(
      report,
      `{"time":"2025-01-01T00:00:00.000Z","type":"platform.report","record":{"requestId":"${ID}","metrics":{"durationMs":3.01,"billedDurationMs":4,"memorySizeMB":128,"maxMemoryUsedMB":36,"initDurationMs":110.1},"status":"success"}}`,
    );
  });

  it('adds the status and errorType of a failed invocation', () => {
    const report = JSON.parse(jsonEvents.report(TIME, { requestId: ID, durationMs: 3000, memorySizeMb: 128, maxMemoryUsedMb: 36 }, 'timeout', 'Sandbox.Timedout')) as {
      record: Record<string, unknown>;
    };
    assert.equal(report.record['status'], 'timeout');
    assert.equal(report.record['errorType'], 'Sandbox.Timedout');
  });

  it('writes platform.initStart', () => {
    assert.equal(
      jsonEvents.initStart(TIME, RUNTIME, 'fn'),
      `{"time":"2025-01-01T00:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:20.v13","runtimeVersionArn":"${RUNTIME.arn}","functionName":"fn","functionVersion":"$LATEST"}}`,
    );
  });
});

describe('log streams and runtime version', () => {
  it('names a stream YYYY/MM/DD/[$LATEST]<32 hex>', () => {
    assert.equal(logStreamName(new Date(Date.UTC(2019, 5, 7, 23, 59)), 'e6f4a0c4241adcd70c262d34c0bbc85c'), '2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c');
    assert.match(logStreamName(new Date()), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('names the Node.js that really runs the code', () => {
    const version = localRuntimeVersion('eu-west-1', '20.19.4');
    assert.equal(version.version, 'nodejs:20.v19');
    assert.match(version.arn, /^arn:aws:lambda:eu-west-1::runtime:[0-9a-f]{64}$/);
  });
});

describe('console lines', () => {
  it('formats Text lines as time, request id, level and util.format of the arguments', () => {
    assert.equal(formatTextEvent(TIME, ID, 'INFO', ['a %s %d', 'b', 3, { c: 1 }]), `2025-01-01T00:00:00.000Z\t${ID}\tINFO\ta b 3 { c: 1 }\n`);
  });

  it('keeps a multi-line message in one event and prints a missing request id as undefined (init)', () => {
    assert.equal(formatTextEvent(TIME, undefined, 'WARN', ['one\ntwo']), '2025-01-01T00:00:00.000Z\tundefined\tWARN\tone\ntwo\n');
  });

  it('formats JSON lines with the message embedded when there is one argument', () => {
    assert.equal(
      formatJsonEvent(TIME, ID, 'INFO', [{ order: 7, ok: true }]),
      `{"timestamp":"2025-01-01T00:00:00.000Z","level":"INFO","requestId":"${ID}","message":{"order":7,"ok":true}}`,
    );
    assert.equal(formatJsonEvent(TIME, undefined, 'DEBUG', ['x']), '{"timestamp":"2025-01-01T00:00:00.000Z","level":"DEBUG","message":"x"}');
  });

  it('formats several JSON arguments as text and lifts the first Error', () => {
    const error = new RangeError('bad');
    const line = JSON.parse(formatJsonEvent(TIME, ID, 'ERROR', ['failed:', error])) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['timestamp', 'level', 'requestId', 'message', 'errorType', 'errorMessage', 'stackTrace']);
    assert.match(String(line['message']), /^failed: RangeError: bad/);
    assert.equal(line['errorType'], 'RangeError');
    assert.equal(line['errorMessage'], 'bad');
    assert.equal((line['stackTrace'] as string[])[0], 'RangeError: bad');
  });

  it('expands a single Error argument into errorType, errorMessage and stackTrace', () => {
    const error = Object.assign(new TypeError('nope'), { code: 'E_NOPE' });
    const line = JSON.parse(formatJsonEvent(TIME, ID, 'ERROR', [error])) as { message: Record<string, unknown> };
    assert.deepEqual(Object.keys(line.message), ['errorType', 'errorMessage', 'stackTrace', 'code']);
    assert.equal(line.message['errorType'], 'TypeError');
  });

  it('falls back to util.format for a circular object', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular['self'] = circular;
    const line = JSON.parse(formatJsonEvent(TIME, ID, 'INFO', [circular])) as { message: unknown };
    assert.equal(line.message, '<ref *1> { a: 1, self: [Circular *1] }');
  });

  it('writes the Text "Invoke Error" argument as a tab and the error with its stack lines', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at handler (/var/task/index.mjs:3:9)';
    assert.equal(
      formatErrorForText(error),
      '\t{"errorType":"Error","errorMessage":"boom","stack":["Error: boom","    at handler (/var/task/index.mjs:3:9)"]}',
    );
    assert.equal(
      formatTextEvent(TIME, ID, 'ERROR', ['Invoke Error', formatErrorForText(error)]),
      `2025-01-01T00:00:00.000Z\t${ID}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"boom","stack":["Error: boom","    at handler (/var/task/index.mjs:3:9)"]}\n`,
    );
  });

  it('returns {errorType, errorMessage, trace} for a failed invocation, also for thrown non-Errors', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at x';
    assert.deepEqual(toErrorPayload(error), { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at x'] });
    assert.deepEqual(toErrorPayload('plain'), { errorType: 'string', errorMessage: 'plain', trace: [] });
  });
});
