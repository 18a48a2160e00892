/**
 * @module bench/main: `npm run bench`: the performance benchmark of the embedded SQS server (a benchmark, not a
 * test: it prints tables and judges targets, it never fails a build).
 *
 * Flags: --quick (2,000 messages per cell, 10,000-message backlog, one repetition), --only <sections>
 * (comma-separated: table, baseline, memory, sqlite, backlog, e2e), --messages N, --repeat N, --backlog N,
 * --backlog-queue fifo|standard, --profile (CPU-profile the mqs server and print its hot spots).
 * Results also go to test-output/bench/latest.json and latest.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BacklogResult, runBacklog } from './backlog-section.ts';
import type { BaselineTransport } from './baseline-server.ts';
import { BATCH_SIZE, BODY_BYTES, GROUP_COUNT } from './bench-messages.ts';
import { killAllChildren } from './child-rpc.ts';
import { type ClientPool, startClientPool } from './client-pool.ts';
import { hotSpots } from './cpu-profile.ts';
import { describeEnvironment, type Environment } from './environment.ts';
import { QUEUE_KINDS, type QueueKind } from './sdk-workload.ts';
import { type Column, formatFixed, formatInt, formatMb, renderTable } from './text-table.ts';
import {
  cellKey,
  type NamedLayout,
  PHASES,
  type Phase,
  runThroughput,
  TABLE_SERVERS,
  type TableServer,
  type ThroughputResult,
} from './throughput-section.ts';

/** The issue's targets. */
const TARGETS = {
  ratioToBaseline: 0.9,
  memoryCpuUsPerMsg: 25,
  sqliteCpuUsPerMsg: 40,
  backlogRatio: 0.8,
  backlogRssBytes: 300 * 1e6,
} as const;

/** Slices per cell in a full run: the servers take turns every 20,000 / 4 = 5,000 messages. */
const TABLE_SLICES = 4;

const SECTIONS = ['baseline', 'memory', 'sqlite', 'backlog', 'e2e'] as const;
type Section = (typeof SECTIONS)[number];

const OUTPUT_DIR = fileURLToPath(new URL('../test-output/bench/', import.meta.url));

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    messages: { type: 'string' },
    repeat: { type: 'string' },
    backlog: { type: 'string' },
    'backlog-queue': { type: 'string', default: 'fifo' },
    profile: { type: 'boolean', default: false },
    'baseline-transport': { type: 'string', default: 'http' },
    'sqlite-sync': { type: 'string', default: 'normal' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run bench [-- flags]
  --quick                 2,000 messages per cell, 10,000-message backlog, 1 repetition (a smoke run)
  --only <sections>       comma-separated: table (= baseline,memory,sqlite), baseline, memory, sqlite, backlog, e2e
                          (e2e = bench/e2e.ts, the whole system under mqs start; --quick runs it on 1,000 messages
                          without the uncached start)
  --messages <n>          messages per cell and per backlog side (default 20000; a multiple of 10)
  --repeat <n>            repetitions of the table; the best of them is printed (default 2)
  --backlog <n>           messages in the big backlog (default 1000000)
  --backlog-queue <kind>  fifo (100 groups, default) or standard
  --profile               CPU-profile the mqs server's measured phases and print its hot spots
  --sqlite-sync <mode>    the table's SQLite server: normal (default) or full (fsync on every commit)
  --baseline-transport <t>  http (node:http, default: the baseline of the targets) or net (raw node:net with a
                          minimal HTTP/1.1 responder: how much of the floor is node's HTTP library)`);
  process.exit(0);
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a positive integer, got ${text}`);
    process.exit(2);
  }
  return value;
}

function parseSections(text: string | undefined): Set<Section> {
  if (text === undefined) return new Set(SECTIONS);
  const sections = new Set<Section>();
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === 'table') for (const s of ['baseline', 'memory', 'sqlite'] as const) sections.add(s);
    else if ((SECTIONS as readonly string[]).includes(part)) sections.add(part as Section);
    else {
      console.error(`--only: unknown section ${part} (known: table, ${SECTIONS.join(', ')})`);
      process.exit(2);
    }
  }
  return sections;
}

const isQuick = args.quick;
const messages = Math.ceil(positiveInt('messages', args.messages, isQuick ? 2_000 : 20_000) / BATCH_SIZE) * BATCH_SIZE;
const repeats = positiveInt('repeat', args.repeat, isQuick ? 1 : 2);
const bigBacklog = positiveInt('backlog', args.backlog, isQuick ? 10_000 : 1_000_000);
const smallBacklog = 1_000;
const backlogKind = args['backlog-queue'] as QueueKind;
if (!(QUEUE_KINDS as readonly string[]).includes(backlogKind)) {
  console.error(`--backlog-queue must be fifo or standard, got ${backlogKind}`);
  process.exit(2);
}
const sections = parseSections(args.only);
const sqliteSync = args['sqlite-sync'] as 'normal' | 'full';
if (sqliteSync !== 'normal' && sqliteSync !== 'full') {
  console.error(`--sqlite-sync must be normal or full, got ${sqliteSync}`);
  process.exit(2);
}
const baselineTransport = args['baseline-transport'] as BaselineTransport;
if (baselineTransport !== 'http' && baselineTransport !== 'net') {
  console.error(`--baseline-transport must be http or net, got ${baselineTransport}`);
  process.exit(2);
}

/** The largest divisor of 8 that is at most the core count: one client process per core for 8 loops. */
const clientProcesses = [8, 4, 2, 1].find((n) => n <= os.availableParallelism()) ?? 1;
const layouts: NamedLayout[] = [
  { label: '1', concurrency: 1, processes: 1 },
  { label: '8 (1 proc)', concurrency: 8, processes: 1 },
];
if (clientProcesses > 1) layouts.push({ label: `8 (${clientProcesses} procs)`, concurrency: 8, processes: clientProcesses });

const tempRoot = mkdtempSync(join(os.tmpdir(), 'mqs-bench-'));
let isCleanedUp = false;
function cleanUp(): void {
  if (isCleanedUp) return;
  isCleanedUp = true;
  killAllChildren();
  rmSync(tempRoot, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the bench`);
    cleanUp();
    process.exit(130);
  });
}
process.once('exit', cleanUp);

const log = (line: string): void => {
  process.stderr.write(`  ${line}\n`);
};

const PHASE_TITLES: Record<Phase, string> = { send: 'SendMessageBatch(10)', receiveDelete: 'Receive(10)+DeleteBatch' };
const QUEUE_TITLES: Record<QueueKind, string> = { fifo: `FIFO, ${GROUP_COUNT} groups`, standard: 'standard' };

function ratioText(value: number | undefined, target: number): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return `${value.toFixed(2)}x${value < target ? ' !' : ''}`;
}

interface Verdict {
  target: string;
  measured: string;
  isMet: boolean;
}

function throughputTables(result: ThroughputResult, style: 'text' | 'markdown'): { throughput: string; cpu: string; verdicts: Verdict[] } {
  const best = result.best;
  const mqsServers = (['memory', 'sqlite'] as const).filter((s) => best[s] !== undefined);
  const hasBaseline = best.baseline !== undefined;
  const columns: Column[] = [{ title: 'queue' }, { title: 'operation' }, { title: 'clients' }];
  if (hasBaseline) columns.push({ title: 'baseline msg/s', align: 'right' });
  for (const server of mqsServers) {
    columns.push({ title: `mqs ${server === 'memory' ? 'in memory' : 'SQLite'} msg/s`, align: 'right' });
    if (hasBaseline) columns.push({ title: 'x baseline', align: 'right' });
  }
  const rows: string[][] = [];
  const ratios: Record<string, Array<{ ratio: number; cell: string }>> = { memory: [], sqlite: [] };
  for (const kind of QUEUE_KINDS) {
    for (const phase of PHASES) {
      for (const layout of layouts) {
        const key = cellKey(kind, phase, layout.label);
        const baseline = best.baseline?.[key]?.msgsPerSec;
        const row = [QUEUE_TITLES[kind], PHASE_TITLES[phase], layout.label];
        if (hasBaseline) row.push(baseline === undefined ? '-' : formatInt(baseline));
        for (const server of mqsServers) {
          const value = best[server]?.[key]?.msgsPerSec;
          row.push(value === undefined ? '-' : formatInt(value));
          if (hasBaseline) {
            const ratio = value !== undefined && baseline !== undefined ? value / baseline : undefined;
            row.push(ratioText(ratio, TARGETS.ratioToBaseline));
            if (ratio !== undefined) ratios[server]!.push({ ratio, cell: `${kind} ${PHASE_TITLES[phase]} ${layout.label}` });
          }
        }
        rows.push(row);
      }
    }
  }

  // Server CPU per message over the whole life of a message: its share of the send plus the receive+delete phase.
  const cpuColumns: Column[] = [{ title: 'queue' }, { title: 'clients' }];
  if (hasBaseline) cpuColumns.push({ title: 'baseline server', align: 'right' }, { title: 'SDK client', align: 'right' });
  for (const server of mqsServers) {
    const target = server === 'memory' ? TARGETS.memoryCpuUsPerMsg : TARGETS.sqliteCpuUsPerMsg;
    cpuColumns.push({ title: `mqs ${server === 'memory' ? 'in memory' : 'SQLite'} (target <= ${target})`, align: 'right' });
  }
  const cpuRows: string[][] = [];
  const verdicts: Verdict[] = [];
  const cpuMisses: Record<string, string[]> = { memory: [], sqlite: [] };
  const cpuWorst: Record<string, number> = { memory: 0, sqlite: 0 };
  const split = (server: TableServer, kind: QueueKind, layout: string, field: 'serverCpuUsPerMsg' | 'clientCpuUsPerMsg') => {
    const send = best[server]?.[cellKey(kind, 'send', layout)]?.[field];
    const rd = best[server]?.[cellKey(kind, 'receiveDelete', layout)]?.[field];
    return send === undefined || rd === undefined ? undefined : { send, rd, total: send + rd };
  };
  const splitText = (s: { send: number; rd: number; total: number } | undefined) =>
    s === undefined ? '-' : `${s.total.toFixed(1)} = ${s.send.toFixed(1)} + ${s.rd.toFixed(1)}`;
  for (const kind of QUEUE_KINDS) {
    for (const layout of layouts) {
      const row = [QUEUE_TITLES[kind], layout.label];
      if (hasBaseline) row.push(splitText(split('baseline', kind, layout.label, 'serverCpuUsPerMsg')), splitText(split('baseline', kind, layout.label, 'clientCpuUsPerMsg')));
      for (const server of mqsServers) {
        const s = split(server, kind, layout.label, 'serverCpuUsPerMsg');
        const target = server === 'memory' ? TARGETS.memoryCpuUsPerMsg : TARGETS.sqliteCpuUsPerMsg;
        row.push(`${splitText(s)}${s !== undefined && s.total > target ? ' !' : ''}`);
        if (s !== undefined) {
          cpuWorst[server] = Math.max(cpuWorst[server]!, s.total);
          if (s.total > target) cpuMisses[server]!.push(`${kind} ${layout.label}: ${s.total.toFixed(1)}`);
        }
      }
      cpuRows.push(row);
    }
  }

  for (const server of mqsServers) {
    const name = server === 'memory' ? 'in memory' : 'on SQLite';
    const list = ratios[server]!;
    if (list.length > 0) {
      const worst = list.reduce((a, b) => (b.ratio < a.ratio ? b : a));
      const misses = list.filter((r) => r.ratio < TARGETS.ratioToBaseline);
      verdicts.push({
        target: `every cell >= ${TARGETS.ratioToBaseline}x baseline (${name})`,
        measured: `${list.length - misses.length}/${list.length} cells; worst ${worst.ratio.toFixed(2)}x (${worst.cell})`,
        isMet: misses.length === 0,
      });
    }
    const target = server === 'memory' ? TARGETS.memoryCpuUsPerMsg : TARGETS.sqliteCpuUsPerMsg;
    verdicts.push({
      target: `server CPU <= ${target} µs/msg ${name}`,
      measured: `worst ${cpuWorst[server]!.toFixed(1)} µs/msg${cpuMisses[server]!.length > 0 ? ` (over: ${cpuMisses[server]!.join('; ')})` : ''}`,
      isMet: cpuMisses[server]!.length === 0,
    });
  }
  return { throughput: renderTable(columns, rows, style), cpu: renderTable(cpuColumns, cpuRows, style), verdicts };
}

function backlogTable(result: BacklogResult, style: 'text' | 'markdown'): { table: string; verdicts: Verdict[] } {
  const columns: Column[] = [
    { title: 'backlog', align: 'right' },
    { title: 'filled by' },
    { title: 'seed', align: 'right' },
    { title: 'start (restore)', align: 'right' },
    { title: 'RSS after start', align: 'right' },
    { title: 'heap after GC', align: 'right' },
    { title: 'receive+delete msg/s', align: 'right' },
    { title: 'x small', align: 'right' },
    { title: 'server µs/msg', align: 'right' },
    { title: 'RSS at end', align: 'right' },
    { title: 'heap used / reserved at end', align: 'right' },
    { title: 'peak RSS', align: 'right' },
  ];
  const row = (run: BacklogResult['small'], ratio: number): string[] => [
    formatInt(run.backlog),
    run.filledBy === 'store' ? 'store, restored' : 'SDK, per round',
    run.seedMs === undefined ? '-' : `${(run.seedMs / 1000).toFixed(1)} s`,
    `${(run.startMs / 1000).toFixed(2)} s`,
    formatMb(run.rssAfterStartBytes),
    formatMb(run.heapAfterStartBytes),
    formatInt(run.msgsPerSec),
    ratioText(ratio, TARGETS.backlogRatio),
    formatFixed(run.serverCpuUsPerMsg, 1),
    formatMb(run.rssEndBytes),
    `${formatMb(run.heapUsedEndBytes)} / ${formatMb(run.heapTotalEndBytes)}`,
    formatMb(run.maxRssBytes),
  ];
  const verdicts: Verdict[] = [
    {
      target: `${formatInt(result.big.backlog)}-message backlog >= ${TARGETS.backlogRatio}x the ${formatInt(result.small.backlog)}-message one (SQLite)`,
      measured: `${result.ratio.toFixed(2)}x (server CPU ${result.small.serverCpuUsPerMsg.toFixed(1)} -> ${result.big.serverCpuUsPerMsg.toFixed(1)} µs/msg)`,
      isMet: result.ratio >= TARGETS.backlogRatio,
    },
    {
      target: `server RSS < ${TARGETS.backlogRssBytes / 1e6} MB with the ${formatInt(result.big.backlog)}-message backlog`,
      measured: `peak ${formatMb(result.big.maxRssBytes)}, after restore ${formatMb(result.big.rssAfterStartBytes)}, at end ${formatMb(result.big.rssEndBytes)}`,
      isMet: result.big.maxRssBytes < TARGETS.backlogRssBytes,
    },
  ];
  return { table: renderTable(columns, [row(result.small, 1), row(result.big, result.ratio)], style), verdicts };
}

function profileReport(profiles: Array<{ title: string; paths: string[] }>): string {
  const parts: string[] = [];
  for (const { title, paths } of profiles) {
    if (paths.length === 0) continue;
    const { totalMs, spots, files } = hotSpots(paths, 15);
    parts.push(`\n${title}: ${(totalMs / 1000).toFixed(2)} s of sampled CPU (${paths.length} profile(s))`);
    parts.push(
      renderTable(
        [{ title: 'self %', align: 'right' }, { title: 'total %', align: 'right' }, { title: 'function' }, { title: 'where' }],
        spots.map((s) => [s.selfPercent.toFixed(1), s.totalPercent.toFixed(1), s.functionName, s.location]),
        'text',
      ),
    );
    parts.push(`  by file: ${files.map((f) => `${f.file} ${f.selfPercent.toFixed(1)}%`).join(', ')}`);
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const env: Environment = describeEnvironment();
  const started = performance.now();
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const profileDir = args.profile ? join(OUTPUT_DIR, 'profiles') : undefined;
  if (profileDir !== undefined) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }

  const envLine =
    `Node ${env.node}, ${env.cpuModel}, ${env.cores} cores, ${env.memoryGb} GiB, ${env.os}; ` +
    `@aws-sdk/client-sqs ${env.sdkVersion}; mqs ${env.commit}; load average at start ${env.loadAverageAtStart.toFixed(2)}`;
  const workloadLine =
    `Workload: ${formatInt(messages)} messages per cell, ${BODY_BYTES}-byte bodies, batches of ${BATCH_SIZE}; FIFO: MessageGroupId = i % ${GROUP_COUNT}, ` +
    `explicit MessageDeduplicationId; receive with WaitTimeSeconds 0, no attributes. Best of ${repeats} repetition(s); ` +
    `within a cell the servers take turns every ${formatInt(Math.ceil(messages / (isQuick ? 1 : TABLE_SLICES)))} messages. ` +
    `SQLite: sync=${sqliteSync}. Baseline: ${baselineTransport === 'net' ? 'raw node:net with a minimal HTTP/1.1 responder (--baseline-transport net)' : 'node:http'}.`;
  const clientLine =
    `Clients: AWS SDK v3 (one SQSClient per worker process, keep-alive http.Agent with one socket per loop, no retries), ` +
    `in separate worker processes; each server runs in its own process too. "1" = one loop; "8 (1 proc)" = 8 async loops in one process ` +
    `(the client owns one core, the server the other: the ceiling of one SDK process)` +
    (clientProcesses > 1
      ? `; "8 (${clientProcesses} procs)" = ${clientProcesses} processes x ${8 / clientProcesses} loops (clients can use every core, so each µs the server spends is taken from them: the truest measure of server cost).`
      : '.');
  console.log(`\nmqs benchmark${isQuick ? ' (--quick)' : ''}${args.profile ? ' (--profile: profiled phases are excluded from "best" when repeated)' : ''}`);
  console.log(envLine);
  if (env.loadAverageAtStart > env.cores / 2) {
    console.log(`NOTE: the machine was busy when the bench started (load ${env.loadAverageAtStart.toFixed(2)} on ${env.cores} cores): throughput is noisy; CPU per message less so.`);
  }

  const json: Record<string, unknown> = {
    environment: env,
    options: { isQuick, messages, repeats, bigBacklog, smallBacklog, backlogKind, sections: [...sections], layouts, bodyBytes: BODY_BYTES, baselineTransport, sqliteSync },
    targets: TARGETS,
  };
  const markdown: string[] = [`Measured ${env.startedAt.slice(0, 10)}: ${envLine}`, '', workloadLine, '', clientLine];
  const verdicts: Verdict[] = [];
  const profiles: Array<{ title: string; paths: string[] }> = [];

  const pool: ClientPool = await startClientPool(clientProcesses);
  try {
    const tableServers = TABLE_SERVERS.filter((s) => sections.has(s));
    if (tableServers.length > 0) {
      console.log(`\n${workloadLine}\n${clientLine}\n`);
      const result = await runThroughput(pool, {
        messages,
        repeats,
        slices: isQuick ? 1 : TABLE_SLICES,
        warmupMessages: isQuick ? 500 : 2_000,
        servers: tableServers,
        layouts,
        sqliteDataDir: join(tempRoot, 'table-sqlite'),
        baselineTransport,
        sqliteSync,
        ...(profileDir === undefined ? {} : { profileDir }),
        log,
      });
      json['throughput'] = result;
      const text = throughputTables(result, 'text');
      const md = throughputTables(result, 'markdown');
      console.log(`\nThroughput, msg/s (best of ${repeats}; "!" = below ${TARGETS.ratioToBaseline}x the baseline)\n${text.throughput}`);
      console.log(`\nCPU time per message, µs: send + receive/delete (best of ${repeats}; server = that server's process; "!" = over target)\n${text.cpu}`);
      markdown.push('', '**Throughput, msg/s**', '', md.throughput, '', '**CPU time per message, µs (total = send + receive/delete)**', '', md.cpu);
      verdicts.push(...text.verdicts);
      if (profileDir !== undefined) {
        for (const server of ['memory', 'sqlite'] as const) {
          for (const phase of PHASES) {
            profiles.push({
              title: `mqs ${server} ${PHASE_TITLES[phase]}`,
              paths: result.runs.filter((r) => r.server === server && r.phase === phase).flatMap((r) => r.profiles ?? []),
            });
          }
        }
      }
    }

    if (sections.has('backlog')) {
      const backlogLayout = layouts[layouts.length - 1]!;
      const backlogLine =
        `Backlog (SQLite, ${QUEUE_TITLES[backlogKind]} queue): receive(10)+delete of ${formatInt(messages)} messages with ${backlogLayout.label} clients, ` +
        `in rounds: each round sends ${formatInt(smallBacklog)} (not timed), then receives and deletes ${formatInt(smallBacklog)} (timed), rounds alternating ` +
        `between two servers; the big queue is seeded through the store and restored by its server at start-up.`;
      console.log(`\n${backlogLine}`);
      const result = await runBacklog(pool, {
        messages,
        smallBacklog,
        bigBacklog,
        kind: backlogKind,
        layout: backlogLayout,
        smallDataDir: join(tempRoot, 'backlog-small'),
        bigDataDir: join(tempRoot, 'backlog-big'),
        ...(profileDir === undefined ? {} : { profileDir }),
        log,
      });
      json['backlog'] = result;
      const text = backlogTable(result, 'text');
      console.log(`\n${text.table}`);
      markdown.push('', `**${backlogLine}**`, '', backlogTable(result, 'markdown').table);
      verdicts.push(...text.verdicts);
      if (result.big.restoreProfile !== undefined) {
        profiles.push({ title: `mqs SQLite start-up restoring ${formatInt(bigBacklog)} messages`, paths: [result.big.restoreProfile] });
      }
      if (result.big.profile !== undefined) {
        profiles.push({ title: 'mqs SQLite rounds (send, then receive+delete) on the big backlog', paths: [result.big.profile] });
      }
    }
  } finally {
    await pool.close().catch(() => undefined);
  }

  if (verdicts.length > 0) {
    const verdictTable = (style: 'text' | 'markdown') =>
      renderTable(
        [{ title: 'target' }, { title: 'measured' }, { title: 'result' }],
        verdicts.map((v) => [v.target, v.measured, v.isMet ? 'met' : 'MISSED']),
        style,
      );
    console.log(`\nTargets\n${verdictTable('text')}`);
    markdown.push('', '**Targets**', '', verdictTable('markdown'));
  }
  if (profiles.length > 0) {
    const report = profileReport(profiles);
    console.log(`\nWhere the mqs server spends CPU (self time, profiled phases; lines are TypeScript source lines)${report}`);
    json['profiles'] = profiles;
  }

  const elapsedS = (performance.now() - started) / 1000;
  json['verdicts'] = verdicts;
  json['elapsedSeconds'] = elapsedS;
  json['loadAverageAtEnd'] = os.loadavg()[0];
  writeFileSync(join(OUTPUT_DIR, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(OUTPUT_DIR, 'latest.md'), `${markdown.join('\n')}\n`);
  console.log(
    `\nDone in ${elapsedS.toFixed(0)} s (load average at end ${os.loadavg()[0]!.toFixed(2)}). ` +
      `Results: test-output/bench/latest.json, latest.md${profileDir === undefined ? '' : ', profiles/'}`,
  );
}

/** The end-to-end section: bench/e2e.ts in its own process (it prints its own tables). Resolves to its exit code. */
function runEndToEnd(): Promise<number> {
  const e2eArgs = isQuick ? ['--messages', '1000', '--skip-cold'] : [];
  console.log(`\nEnd to end: node --import tsx bench/e2e.ts ${e2eArgs.join(' ')}`.trimEnd());
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./e2e.ts', import.meta.url)), ...e2eArgs], { stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

const isServerBench = SECTIONS.some((s) => s !== 'e2e' && sections.has(s));
(isServerBench ? main() : Promise.resolve())
  .then(() => (sections.has('e2e') ? runEndToEnd() : 0))
  .then(
    (code) => {
      cleanUp();
      process.exit(code);
    },
    (error: unknown) => {
      console.error(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      cleanUp();
      process.exit(1);
    },
  );
