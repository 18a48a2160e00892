/**
 * @module test/e2e/system-restart: a run survives its process. Killed with SIGKILL mid-run, `mqs start` on the same
 * data directory resumes the run and finishes with verification passing; stopped with SIGINT (Ctrl+C) it stops
 * cleanly, and the next start resumes without invoking the producer again; when its data directory fills up, it
 * stops with exit code 1 and the next start finishes the run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LogStore } from '../../src/runtime/index.ts';
import { runMqs, spawnMqs } from './system-cli.ts';

const RUN_LIMIT_MS = 180_000;
/** A plain progress line showing 100 to 999 of the 1,000 messages processed: mid-run. */
const MID_RUN = /processed (\d{3}|[1-9]\d{2})\/1,000 /;

interface RunFile {
  runId: string;
  state: string;
  session?: { pid: number; endpoint: string };
}

const readRunFile = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as RunFile;

/** How often the producer started sending this run (its `producing` lines). */
function producerInvocations(dataDir: string, runId: string): number {
  const store = new LogStore({ dataDir, isReadOnly: true });
  try {
    return store.query({ filter: '"message":"producing"' }).filter((event) => event.message.includes(`"runId":"${runId}"`)).length;
  } finally {
    store.close();
  }
}

describe('mqs start across restarts', { timeout: 4 * RUN_LIMIT_MS }, () => {
  const dirs: string[] = [];
  const freshDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes a run with verification passing after the process was killed with SIGKILL mid-run', async () => {
    const dataDir = freshDir('mqs-kill-');
    // A short visibility timeout: what was in flight at the kill comes back soon after the restart.
    const args = ['start', '--port', '0', '--data-dir', dataDir, '--messages', '1000', '--groups', '10', '--work-ms', '20', '--visibility-timeout', '2'];
    const first = spawnMqs(args);
    await first.waitFor(MID_RUN, RUN_LIMIT_MS);
    first.child.kill('SIGKILL');
    const killed = await first.exited(30_000);
    assert.equal(killed.signal, 'SIGKILL');
    const before = readRunFile(dataDir);
    assert.notEqual(before.state, 'drained', 'the run had not drained when it was killed');
    assert.ok(before.session !== undefined, 'a killed process leaves its session behind');

    const second = await runMqs([...args, '--exit-when-drained'], RUN_LIMIT_MS);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, new RegExp(`^run {8}${before.runId}: 1,000 messages in 10 groups, resumed`, 'm'));
    assert.match(second.output, new RegExp(`^verification PASSED: run ${before.runId}:`, 'm'));
    assert.match(second.output, /processed 1,000 of 1,000 messages in 10 groups/);
    const after = readRunFile(dataDir);
    assert.equal(after.state, 'drained');
  });

  it('stops cleanly on SIGINT and resumes the run at the next start without invoking the producer again', async () => {
    const dataDir = freshDir('mqs-sigint-');
    const args = ['start', '--port', '0', '--data-dir', dataDir, '--messages', '1000', '--groups', '10', '--work-ms', '20', '--visibility-timeout', '2'];
    const first = spawnMqs(args);
    await first.waitFor(/^producer {3}sent 1,000 messages/m, RUN_LIMIT_MS);
    await first.waitFor(MID_RUN, RUN_LIMIT_MS);
    first.child.kill('SIGINT');
    const stopped = await first.exited(60_000);
    assert.equal(stopped.code, 0, stopped.output);
    assert.match(stopped.output, /mqs: SIGINT received: stopping/);
    const runFile = readRunFile(dataDir);
    assert.match(stopped.output, new RegExp(`mqs: stopped; run ${runFile.runId} is kept in .*: mqs start resumes it`));
    assert.equal(runFile.state, 'produced');
    assert.equal(runFile.session, undefined, 'a clean stop removes the session');

    const second = await runMqs([...args, '--exit-when-drained'], RUN_LIMIT_MS);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /resumed \(already sent: waiting for it to drain\)/);
    assert.doesNotMatch(second.output, /^producer {3}sending/m);
    assert.match(second.output, new RegExp(`^verification PASSED: run ${runFile.runId}:`, 'm'));
    assert.equal(producerInvocations(dataDir, runFile.runId), 1);
  });

  it('stops with exit code 1 when the data directory fills up, and the next start finishes the run', async () => {
    const dataDir = freshDir('mqs-full-disk-');
    const args = ['start', '--port', '0', '--data-dir', dataDir, '--messages', '30000', '--groups', '10', '--work-ms', '0', '--visibility-timeout', '2'];
    // The queue's WAL reaches 3 MiB long before the 30,000 messages are all sent.
    const full = await spawnMqs(args, { fileSizeLimitKiB: 3_000 }).exited(RUN_LIMIT_MS);
    assert.equal(full.code, 1, full.output);
    assert.match(full.output, /mqs: committing to .* failed \(.*\); stopping the server/);
    assert.match(full.output, /mqs: the SQS server stopped: writing to .* failed/);
    const runFile = readRunFile(dataDir);
    assert.notEqual(runFile.state, 'drained');
    assert.equal(runFile.session, undefined, 'the failed session stopped cleanly');

    const second = await runMqs([...args, '--exit-when-drained'], RUN_LIMIT_MS);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, new RegExp(`^run {8}${runFile.runId}: 30,000 messages in 10 groups, resumed`, 'm'));
    assert.match(second.output, new RegExp(`^verification PASSED: run ${runFile.runId}:`, 'm'));
  });
});
