/**
 * @module test/e2e/system-start: `mqs start` runs the whole system (synth, server, runtime, functions) as a user runs
 * it: 1,000 messages in 10 groups drain through both consumers and pass verification; the exit code is the verdict.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runMqs } from './system-cli.ts';

/** Generous: a cold synth (esbuild bundles + cdk-nag) takes about a minute on 2 cores. */
const RUN_LIMIT_MS = 180_000;

const dataDir = mkdtempSync(join(tmpdir(), 'mqs-start-'));
const number = (text: string | undefined) => Number((text ?? '').replace(/,/g, ''));

describe('mqs start', { timeout: 4 * RUN_LIMIT_MS }, () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  let runId = '';

  it('drains 1,000 messages in 10 groups through both consumers, verifies them, and exits 0', async () => {
    const run = await runMqs(['start', '--exit-when-drained', '--port', '0', '--data-dir', dataDir, '--messages', '1000', '--groups', '10', '--work-ms', '0'], RUN_LIMIT_MS);
    assert.equal(run.code, 0, run.output);
    // --port 0: the real port is printed.
    const endpoint = /^endpoint {3}(http:\/\/127\.0\.0\.1:(\d+))\s/m.exec(run.output);
    assert.ok(endpoint !== null && Number(endpoint[2]) > 0, run.output);
    assert.match(run.output, new RegExp(`^dashboard  ${endpoint[1]}/`, 'm'));
    // No TTY: plain progress lines.
    assert.match(run.output, /^\[\s*\d+\.\d s\] (producing|draining|drained): processed [\d,]+\/1,000 /m);
    const verdict = /^verification PASSED: run (\S+):/m.exec(run.output);
    assert.ok(verdict !== null, run.output);
    runId = verdict[1] ?? '';
    const processed = /processed 1,000 of 1,000 messages in 10 groups \(mqs-consumer-1 ([\d,]+), mqs-consumer-2 ([\d,]+)\)/.exec(run.output);
    assert.ok(processed !== null, run.output);
    assert.ok(number(processed[1]) > 0 && number(processed[2]) > 0, 'both consumers processed messages');
    assert.equal(number(processed[1]) + number(processed[2]), 1000);

    const runFile = JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as { runId: string; state: string; verdict: { isPassed: boolean }; session?: unknown };
    assert.equal(runFile.runId, runId);
    assert.equal(runFile.state, 'drained');
    assert.equal(runFile.verdict.isPassed, true);
    assert.equal(runFile.session, undefined, 'the session is gone once the process stopped');
  });

  it('leaves logs from which mqs verify reaches the same verdict', async () => {
    const verify = await runMqs(['verify', '--data-dir', dataDir], 60_000);
    assert.equal(verify.code, 0, verify.output);
    assert.match(verify.output, new RegExp(`^verification PASSED: run ${runId}:`, 'm'));
    assert.match(verify.output, /processed 1,000 of 1,000 messages in 10 groups/);
  });

  it('begins a new run once the last one has drained', async () => {
    const run = await runMqs(['start', '--exit-when-drained', '--port', '0', '--data-dir', dataDir, '--messages', '20', '--groups', '2', '--work-ms', '0'], RUN_LIMIT_MS);
    assert.equal(run.code, 0, run.output);
    const created = /^run {8}(\S+): 20 messages in 2 groups \(new\)$/m.exec(run.output);
    assert.ok(created !== null, run.output);
    assert.notEqual(created[1], runId);
    assert.match(run.output, /processed 20 of 20 messages in 2 groups/);
  });

  it('rejects flags that cannot work with exit code 2', async () => {
    const tooManyGroups = await runMqs(['start', '--in-memory', '--port', '0', '--messages', '5', '--groups', '10'], 60_000);
    assert.equal(tooManyGroups.code, 2, tooManyGroups.output);
    assert.match(tooManyGroups.output, /--groups \(10\) cannot exceed --messages \(5\)/);
    const badRate = await runMqs(['start', '--in-memory', '--failure-rate', '1.5'], 60_000);
    assert.equal(badRate.code, 2, badRate.output);
    assert.match(badRate.output, /expected a number from 0 to 1, got "1.5"/);
    // The variables of mqs server apply to mqs start too.
    const badPortVariable = await runMqs(['start', '--in-memory'], 60_000, { MQS_PORT: 'abc' });
    assert.equal(badPortVariable.code, 2, badPortVariable.output);
    assert.match(badPortVariable.output, /MQS_PORT must be an integer from 0 to 65535 \(got "abc"\)/);
  });

  it('says so when the port is taken, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const run = await runMqs(['start', '--in-memory', '--port', String(port)], RUN_LIMIT_MS);
      assert.equal(run.code, 1, run.output);
      assert.match(run.output, new RegExp(`port ${port} is already in use .*pass --port N, or --port 0 for a free one`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
