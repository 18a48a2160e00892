/**
 * @module test/e2e/verify-cli: `mqs verify` on the logs a real run left in its data directory: exit 0 for the run as
 * it was; exit 1 with each violation listed once lines are added that a broken system would have written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LogStore } from '../../src/runtime/index.ts';
import { runMqs } from './system-cli.ts';

const RUN_LIMIT_MS = 180_000;
const dataDir = mkdtempSync(join(tmpdir(), 'mqs-verify-'));

interface ProcessedLine {
  message: string;
  function: string;
  group: string;
  sequence: number;
  messageId: string;
  receiveCount: number;
  runId: string;
}

interface JsonReport {
  runId: string;
  isPassed: boolean;
  processed: number;
  violations: Array<{ kind: string; group?: string; sequence?: number; detail: string }>;
}

describe('mqs verify', { timeout: RUN_LIMIT_MS + 120_000 }, () => {
  let runId = '';
  before(async () => {
    const run = await runMqs(['start', '--exit-when-drained', '--port', '0', '--data-dir', dataDir, '--messages', '100', '--groups', '10', '--work-ms', '0'], RUN_LIMIT_MS);
    assert.equal(run.code, 0, run.output);
    runId = /^verification PASSED: run (\S+):/m.exec(run.output)?.[1] ?? '';
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('passes the run as the system logged it, and prints the report as JSON', async () => {
    const verify = await runMqs(['verify', '--data-dir', dataDir, '--json'], 60_000);
    assert.equal(verify.code, 0, verify.output);
    const report = JSON.parse(verify.output) as JsonReport;
    assert.deepEqual([report.runId, report.isPassed, report.processed, report.violations], [runId, true, 100, []]);
  });

  it('lists a message processed twice in one delivery and one never sent, and exits 1', async () => {
    const store = new LogStore({ dataDir });
    const processed = store
      .query({ filter: `"runId":"${runId}"` })
      .filter((event) => event.message.includes('"message":"processed"'))
      .map((event) => ({ event, line: JSON.parse(event.message) as ProcessedLine }));
    const first = processed.find(({ line }) => line.group === 'order-3' && line.sequence === 1);
    assert.ok(first !== undefined, 'order-3 #1 was processed');
    const again = (line: ProcessedLine) => ({ ...first.event, timestamp: Date.now(), message: JSON.stringify(line) });
    store.append([
      // The same delivery applied again by the other consumer.
      again({ ...first.line, function: 'mqs-consumer-2' }),
      // An event the producer never sent.
      again({ ...first.line, sequence: 11, messageId: 'not-sent' }),
    ]);
    store.close();

    const verify = await runMqs(['verify', '--data-dir', dataDir], 60_000);
    assert.equal(verify.code, 1, verify.output);
    assert.match(verify.output, new RegExp(`^verification FAILED: run ${runId}: 2 violations$`, 'm'));
    assert.match(verify.output, /^ {2}processed-twice: order-3 #1 processed again by mqs-consumer-2 in the same delivery \(receiveCount 1, earlier 1\)$/m);
    assert.match(verify.output, /^ {2}unexpected: order-3 #11 processed, but the producer sent only 10 events in order-3$/m);
    assert.match(verify.output, /^mqs: verification failed: 2 violation\(s\)$/m);
  });

  it('says so when the run id is not in the logs, listing the runs that are', async () => {
    const verify = await runMqs(['verify', '--data-dir', dataDir, '--run-id', 'no-such-run'], 60_000);
    assert.equal(verify.code, 1, verify.output);
    assert.match(verify.output, new RegExp(`^mqs: no run no-such-run in the logs of .* \\(runs there: ${runId}\\)$`, 'm'));
  });

  it('says where it looked when there are no logs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mqs-verify-empty-'));
    try {
      const verify = await runMqs(['verify', '--data-dir', empty], 60_000);
      assert.equal(verify.code, 1, verify.output);
      assert.match(verify.output, /mqs: no logs in .*mqs-verify-empty-.* \(they are written by mqs start and mqs invoke\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
