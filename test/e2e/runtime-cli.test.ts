/** @module test/e2e/runtime-cli: `mqs invoke` and `mqs logs` as a user runs them, on a temporary data directory. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'mqs.js');
const dataDir = mkdtempSync(join(tmpdir(), 'mqs-cli-'));

/** Runs `mqs <args>` from the project root (where cdk.json is), without the caller's MQS_* variables. */
async function mqs(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MQS_')));
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

describe('mqs invoke and mqs logs', { timeout: 180_000 }, () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('invokes the producer by its role, prints its result and the REPORT line, and stores its logs', async () => {
    const invoked = await mqs(['invoke', 'producer', '--payload', '{"count":4,"groups":2}', '--data-dir', dataDir]);
    assert.equal(invoked.code, 0, invoked.stderr);
    const result = JSON.parse(invoked.stdout) as { sent: number; failed: number };
    assert.deepEqual([result.sent, result.failed], [4, 0]);
    const report = /REPORT RequestId: (\S+)\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t\n/.exec(
      invoked.stderr,
    );
    assert.ok(report !== null, invoked.stderr);

    const logs = await mqs(['logs', 'producer', '--data-dir', dataDir, '--filter', 'platform.report', '--format', 'raw']);
    assert.equal(logs.code, 0, logs.stderr);
    const record = JSON.parse(logs.stdout) as { type: string; record: { requestId: string; status: string } };
    assert.equal(record.type, 'platform.report');
    assert.equal(record.record.requestId, report[1]);
    assert.equal(record.record.status, 'success');
  });

  it('prints the error payload and exits 1 when the function fails', async () => {
    const invoked = await mqs(['invoke', 'mqs-producer', '--payload', '{"count":0,"groups":1}', '--data-dir', dataDir]);
    assert.equal(invoked.code, 1);
    const error = JSON.parse(invoked.stdout) as { errorType: string; trace: string[] };
    assert.equal(error.errorType, 'InvalidProducerPayloadError');
    assert.match(invoked.stderr, /mqs: mqs-producer failed: InvalidProducerPayloadError/);
  });
});
