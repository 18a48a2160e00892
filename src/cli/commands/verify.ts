/** @module cli/commands/verify: `mqs verify`, the proof from the logs that a producer run was processed completely, in order, once. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { LOG_FILE_NAME, LogStore, loadPlan } from '../../runtime/index.ts';
import { resolveServerConfig } from '../../server/config.ts';
import { startServer } from '../../server/start-server.ts';
import { readQueueDepth, totalOf } from '../start/queue-depth.ts';
import { isProcessAlive, readRunFile, type RunRecord } from '../start/run-file.ts';
import { integerFlag } from '../start/start-settings.ts';
import { formatReport } from '../verify/format-report.ts';
import { plannedRedrive } from '../verify/plan-redrive.ts';
import { latestRunId, producerRunIds, readRunLines } from '../verify/read-run.ts';
import { type DlqObservation, verifyRun } from '../verify/run-verifier.ts';

interface VerifyFlags {
  dataDir?: string;
  runId?: string;
  endpoint?: string;
  maxReceiveCount?: number;
  cdkOut?: string;
  json?: boolean;
  limit: number;
}

function parseUrl(text: string): string {
  if (!/^https?:\/\/[^/]+/.test(text)) throw new InvalidArgumentError(`expected an http(s) URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

/** Messages in the DLQ now, asked of an SQS endpoint. @throws the SDK's error. */
async function dlqCountAt(endpoint: string, dlqName: string): Promise<number> {
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'mqs', secretAccessKey: 'mqs' } });
  try {
    const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
    if (url === undefined) throw new Error(`no URL for ${dlqName}`);
    return totalOf(await readQueueDepth(sqs, url));
  } finally {
    sqs.destroy();
  }
}

/**
 * The DLQ count for the check against the logs: from `--endpoint`, else from the running `mqs start` of the run file,
 * else from the data directory's queues opened on a private port. Undefined (with the reason) when none works.
 */
async function observeDlq(flags: VerifyFlags, dataDir: string, run: RunRecord | undefined, dlqName: string): Promise<{ count?: number; reason?: string }> {
  const live = run?.session !== undefined && run.session.pid !== process.pid && isProcessAlive(run.session.pid) ? run.session.endpoint : undefined;
  const endpoint = flags.endpoint ?? live;
  try {
    if (endpoint !== undefined) return { count: await dlqCountAt(endpoint, dlqName) };
    const server = await startServer({ port: 0, host: '127.0.0.1', dataDir });
    try {
      return { count: await dlqCountAt(server.url, dlqName) };
    } finally {
      await server.stop();
    }
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

async function runVerify(flags: VerifyFlags): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const { dataDir } = resolveServerConfig({ dataDir: flags.dataDir });
  if (!existsSync(join(dataDir, LOG_FILE_NAME))) throw new Error(`no logs in ${resolve(dataDir)} (they are written by mqs start and mqs invoke)`);
  const store = new LogStore({ dataDir, isReadOnly: true });
  try {
    const runFile = readRunFile(dataDir);
    const runId = flags.runId ?? runFile?.runId ?? latestRunId(store);
    if (runId === undefined) throw new Error(`no producer run in the logs of ${resolve(dataDir)}`);
    if (flags.runId !== undefined && readRunLines(store, runId).next().done === true) {
      const known = producerRunIds(store);
      throw new Error(`no run ${runId} in the logs of ${resolve(dataDir)} (${known.length === 0 ? 'no producer run there' : `runs there: ${known.join(', ')}`})`);
    }
    const run = runFile?.runId === runId ? runFile : undefined;
    const cdkOut = resolve(flags.cdkOut ?? 'cdk.out');
    const planned = existsSync(join(cdkOut, 'manifest.json')) ? plannedRedrive(loadPlan({ cdkOut })) : undefined;
    const maxReceiveCount = flags.maxReceiveCount ?? run?.queues?.maxReceiveCount ?? planned?.maxReceiveCount;
    const dlqName = run?.queues?.dlqName ?? planned?.dlqName;
    let dlq: DlqObservation | undefined;
    const notes: string[] = [];
    if (run !== undefined && run.state !== 'drained') {
      const isDriven = run.session !== undefined && run.session.pid !== process.pid && isProcessAlive(run.session.pid);
      notes.push(`run ${runId} has not drained yet (${isDriven ? `mqs start, pid ${run.session?.pid}, is driving it` : 'mqs start resumes it'}): what is not processed yet shows as missing`);
    }
    if (dlqName !== undefined) {
      // The running mqs start serves this data directory's queues, whichever run is checked.
      const observed = await observeDlq(flags, dataDir, runFile, dlqName);
      const baseline = run?.queues?.dlqBaseline;
      if (observed.count !== undefined) dlq = { count: observed.count, ...(baseline === undefined ? {} : { baseline }) };
      else notes.push(`the DLQ (${dlqName}) was not checked: ${observed.reason ?? 'unknown reason'}`);
    }
    const report = verifyRun(
      {
        runId,
        ...(run === undefined ? {} : { count: run.messages, groups: run.groups }),
        ...(maxReceiveCount === undefined ? {} : { maxReceiveCount }),
        ...(run?.queues === undefined ? {} : { batchSize: run.queues.batchSize }),
      },
      readRunLines(store, runId),
      dlq,
    );
    if (flags.json === true) {
      process.stdout.write(`${JSON.stringify({ ...report, notes: [...report.notes, ...notes] }, null, 2)}\n`);
    } else {
      const lines = formatReport(report, { limit: flags.limit });
      for (const note of notes) lines.push(`  note: ${note}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (!report.isPassed) throw new Error(`verification failed: ${report.violations.length} violation(s)`);
  } finally {
    store.close();
  }
}

/** Adds `mqs verify` to the program. */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      "Check a producer run from the functions' stored logs: every message the producer sent was processed, each " +
        'message group in sequence order, and nothing was processed twice except as a logged retry (a new delivery, ' +
        'i.e. a higher receiveCount than the earlier processing). Poison messages and the ones skipped behind them in ' +
        'their batch are reported as in the DLQ, and the DLQ count is checked over the SQS API. Lists every ' +
        'violation; exits 1 if there is one, 0 otherwise.',
    )
    .option('--data-dir <dir>', 'where the logs are (default: ./.mqs; env MQS_DATA_DIR)')
    .option('--run-id <id>', "the run to check (default: the run in <data-dir>/run.json, else the producer's latest run)")
    .option('--endpoint <url>', 'SQS endpoint holding the DLQ (default: the running mqs start, else the data directory)', parseUrl)
    .option('--max-receive-count <n>', "the queue's maxReceiveCount (default: from run.json or the template)", integerFlag(1, 1000))
    .option('--cdk-out <dir>', 'cloud assembly to read the redrive policy from (default: ./cdk.out; never synthesized)')
    .option('--limit <n>', 'violations listed at most', integerFlag(1, 1_000_000), 50)
    .option('--json', 'print the whole report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  mqs verify                                  # the last run of ./.mqs\n' +
        '  mqs verify --data-dir /tmp/run1 --run-id demo-1 --json\n',
    )
    .action((flags: VerifyFlags) => runVerify(flags));
}
