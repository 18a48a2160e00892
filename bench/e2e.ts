/**
 * @module bench/e2e: the end-to-end section of the bench, the whole system as `mqs start` runs it:
 * - throughput from the producer's first send to the queue drained, with zero-work consumers (WORK_MS=0),
 *   10,000 messages in 100 groups, MaximumConcurrency 2 per consumer (the template's), SQLite data directory;
 * - time from `mqs start` (process spawn) to the first message processed, with the synth cached and without
 *   (a synth into a temporary cloud assembly, so the project's cdk.out is left alone).
 * A benchmark, not a test: it prints a table and writes test-output/bench/e2e.json; it fails only when a run does.
 *
 * Usage: node --import tsx bench/e2e.ts [--messages N] [--groups N] [--repeat N] [--skip-cold]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readRunLines } from '../src/cli/verify/read-run.ts';
import { verifyRun } from '../src/cli/verify/run-verifier.ts';
import { ensureSynth, LogStore } from '../src/runtime/index.ts';
import { ROOT, spawnMqs } from './e2e-process.ts';
import { describeEnvironment } from './environment.ts';
import { formatFixed, formatInt, renderTable } from './text-table.ts';

const OUTPUT_FILE = fileURLToPath(new URL('../test-output/bench/e2e.json', import.meta.url));
/** Bounds on each run (a cold synth takes about a minute on 2 cores). */
const RUN_LIMIT_MS = 600_000;
const FIRST_LIMIT_MS = 300_000;

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '100' },
    repeat: { type: 'string', default: '3' },
    'skip-cold': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

/** One drained run. */
interface ThroughputResult {
  messages: number;
  groups: number;
  maximumConcurrency: number | undefined;
  /** From the producer's `producing` line to the last `processed` line. */
  sendToDrainedMs: number;
  messagesPerSecond: number;
  /** The producer's own duration (its result). */
  producerMs: number | undefined;
  /** The whole command: spawn, start-up, run, verification, stop. */
  commandMs: number;
  isVerified: boolean;
}

/** One start until the first message was processed. */
interface FirstProcessedResult {
  label: string;
  /** From spawning `node bin/mqs.js start` to its "first message processed" line. */
  wallMs: number;
  /** The synth's own time when it synthesized, undefined on a cache hit. */
  synthMs: number | undefined;
}

async function throughputRun(messages: number, groups: number): Promise<ThroughputResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-e2e-'));
  try {
    const child = spawnMqs(['start', '--exit-when-drained', '--port', '0', '--data-dir', dataDir, '--messages', String(messages), '--groups', String(groups), '--work-ms', '0']);
    const { code, output } = await child.exited(RUN_LIMIT_MS);
    const commandMs = performance.now() - child.spawnedAt;
    if (code !== 0) throw new Error(`mqs start exited ${code}:\n${output.slice(-3_000)}`);
    const runId = (JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as { runId: string }).runId;
    const store = new LogStore({ dataDir, isReadOnly: true });
    const report = verifyRun({ runId }, readRunLines(store, runId));
    store.close();
    if (report.producingAt === undefined || report.lastProcessedAt === undefined) throw new Error(`no producer or consumer lines for run ${runId}`);
    const sendToDrainedMs = report.lastProcessedAt - report.producingAt;
    const concurrency = /MaximumConcurrency (\d+)/.exec(output)?.[1];
    const producer = /^producer {3}sent [\d,]+ messages in \d+ batches, (\d+) ms/m.exec(output)?.[1];
    return {
      messages,
      groups,
      maximumConcurrency: concurrency === undefined ? undefined : Number(concurrency),
      sendToDrainedMs,
      messagesPerSecond: report.processed / (sendToDrainedMs / 1000),
      producerMs: producer === undefined ? undefined : Number(producer),
      commandMs,
      isVerified: report.isPassed,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function firstProcessed(label: string, extraArgs: readonly string[]): Promise<FirstProcessedResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-first-'));
  const child = spawnMqs(['start', '--port', '0', '--data-dir', dataDir, ...extraArgs]);
  try {
    const { at } = await child.waitFor(/^first message processed [\d.]+ s after mqs start$/m, FIRST_LIMIT_MS);
    const synth = /^synth {6}synthesized the CDK app in ([\d.]+) s/m.exec(child.output())?.[1];
    return { label, wallMs: at - child.spawnedAt, synthMs: synth === undefined ? undefined : Number(synth) * 1000 };
  } finally {
    child.child.kill('SIGINT');
    await child.exited(60_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (args.help) {
    process.stdout.write('node --import tsx bench/e2e.ts [--messages 10000] [--groups 100] [--repeat 3] [--skip-cold]\n');
    return;
  }
  const messages = Number(args.messages);
  const groups = Number(args.groups);
  const repeat = Math.max(1, Number(args.repeat));
  const environment = describeEnvironment();
  process.stdout.write(`end-to-end bench: node ${environment.node}, ${environment.cores} cores, ${environment.cpuModel}, commit ${environment.commit}\n`);

  // "Cached" must mean a cache hit: bring the project's cloud assembly up to date first.
  await ensureSynth({ cwd: ROOT });
  const starts: FirstProcessedResult[] = [await firstProcessed('synth cached', [])];
  if (!args['skip-cold']) {
    const scratch = mkdtempSync(join(tmpdir(), 'mqs-bench-cdk-'));
    try {
      starts.push(await firstProcessed('no cached synth', ['--cdk-out', join(scratch, 'cdk.out')]));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const runs: ThroughputResult[] = [];
  for (let round = 0; round < repeat; round += 1) runs.push(await throughputRun(messages, groups));
  const best = runs.reduce((a, b) => (b.messagesPerSecond > a.messagesPerSecond ? b : a));

  process.stdout.write(
    `\nThroughput, first send to drained (WORK_MS=0, ${formatInt(messages)} messages in ${formatInt(groups)} groups, ` +
      `MaximumConcurrency ${best.maximumConcurrency ?? '?'} per consumer, 2 consumers, SQLite; best of ${runs.length})\n`,
  );
  process.stdout.write(
    `${renderTable(
      [{ title: 'run' }, { title: 'send→drained s', align: 'right' }, { title: 'messages/s', align: 'right' }, { title: 'producer ms', align: 'right' }, { title: 'whole command s', align: 'right' }, { title: 'verified' }],
      runs.map((run, index) => [
        String(index + 1),
        formatFixed(run.sendToDrainedMs / 1000, 2),
        formatInt(run.messagesPerSecond),
        run.producerMs === undefined ? '-' : formatInt(run.producerMs),
        formatFixed(run.commandMs / 1000, 1),
        run.isVerified ? 'yes' : 'NO',
      ]),
      'text',
    )}\n`,
  );
  process.stdout.write('\nTime from `mqs start` (spawn) to the first message processed (defaults: 100 messages, 10 groups)\n');
  process.stdout.write(
    `${renderTable(
      [{ title: 'start' }, { title: 'to first processed s', align: 'right' }, { title: 'of which synth s', align: 'right' }],
      starts.map((start) => [start.label, formatFixed(start.wallMs / 1000, 2), start.synthMs === undefined ? '-' : formatFixed(start.synthMs / 1000, 1)]),
      'text',
    )}\n`,
  );
  mkdirSync(join(OUTPUT_FILE, '..'), { recursive: true });
  writeFileSync(OUTPUT_FILE, `${JSON.stringify({ environment, throughput: { best, runs }, firstProcessed: starts }, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${OUTPUT_FILE}\n`);
}

await main();
