/**
 * @module bench/server-proc: the child process that runs one server under test (mqs or the baseline), so its
 * CPU time is its own; it answers usage and profiling requests from the bench over the IPC channel.
 *
 * Started by bench/server-handle.ts through bench/child-rpc.ts; argv[2] is a JSON ServerProcConfig.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BaselineTransport, startBaselineServer } from './baseline-server.ts';
import { serveRpc } from './child-rpc.ts';

/** What to run in the child. */
export type ServerProcConfig =
  | { kind: 'baseline'; transport: BaselineTransport }
  | { kind: 'mqs'; inMemory: true }
  /** `profileStartPath`: CPU-profile startServer (open, restore, listen) into this file. */
  | { kind: 'mqs'; dataDir: string; sync?: 'normal' | 'full'; profileStartPath?: string };

/** The server process's resource use at one instant. */
export interface ServerUsage {
  /** process.cpuUsage() user + system, microseconds since the process started. */
  cpuMicros: number;
  rssBytes: number;
  /** Peak RSS since the process started. */
  maxRssBytes: number;
  heapUsedBytes: number;
  /** What V8 holds for the heap (used plus free space it has not given back). */
  heapTotalBytes: number;
}

/** The child's first message. Ops it answers: usage, gc, profileStart, profileStop { path }, stop. */
export interface ServerProcReady {
  type: 'ready';
  url: string;
  /** How long startServer (open store, restore, listen) took, ms. */
  startMs: number;
  usage: ServerUsage;
}

/** Sampling interval of the CPU profiler, microseconds. */
const PROFILE_SAMPLING_INTERVAL_US = 200;

function usage(): ServerUsage {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: memory.rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
  };
}

interface CallFrame {
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNodeLike {
  callFrame: CallFrame;
}

/**
 * Points profile call frames at the TypeScript sources: tsx compiles with inline source maps, and this process is
 * the one that can look them up (`findSourceMap`), so the bench's hot-spot lines are real ones. (V8's per-line
 * ticks are left alone: tsx emits a module on very few lines, so they carry no useful position.)
 */
function mapToSources(profile: { nodes: ProfileNodeLike[] }): void {
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    if (!frame.url.startsWith('file:') || frame.lineNumber < 0) continue;
    let map;
    try {
      map = findSourceMap(fileURLToPath(frame.url)) ?? findSourceMap(frame.url);
    } catch {
      map = undefined;
    }
    if (map === undefined) continue;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry !== null && 'originalLine' in entry && typeof entry.originalLine === 'number') {
      frame.lineNumber = entry.originalLine;
      frame.columnNumber = entry.originalColumn;
    }
  }
}

let session: Session | undefined;

async function profileStart(): Promise<void> {
  if (session !== undefined) throw new Error('the profiler is already running');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_INTERVAL_US });
  await session.post('Profiler.start');
}

async function profileStop(path: string): Promise<void> {
  if (session === undefined) throw new Error('profileStop without profileStart');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  mapToSources(profile as unknown as { nodes: ProfileNodeLike[] });
  writeFileSync(path, JSON.stringify(profile));
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerProcConfig;
  let stopServer: () => Promise<void>;
  let url: string;
  let startMs: number;
  try {
    if (config.kind === 'baseline') {
      const started = performance.now();
      const baseline = await startBaselineServer({ port: 0, host: '127.0.0.1', transport: config.transport });
      startMs = performance.now() - started;
      url = baseline.url;
      stopServer = baseline.stop;
    } else {
      // Imported here so the harness runs (baseline only) in a tree where the server is not there yet; loading
      // and compiling the modules is not part of the start time.
      const { startServer } = await import('../src/server/start-server.ts');
      const profilePath = 'profileStartPath' in config ? config.profileStartPath : undefined;
      if (profilePath !== undefined) await profileStart();
      const started = performance.now();
      const server = await startServer({
        port: 0,
        host: '127.0.0.1',
        ...('inMemory' in config ? { inMemory: true } : { dataDir: config.dataDir, ...(config.sync ? { sync: config.sync } : {}) }),
        // No MQS_* variable of the bench's environment changes what is measured.
        env: {},
      });
      startMs = performance.now() - started;
      if (profilePath !== undefined) await profileStop(profilePath);
      url = server.url;
      stopServer = server.stop;
    }
  } catch (error) {
    process.send?.({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }

  serveRpc(async (request) => {
    switch (request.op) {
      case 'usage':
        return usage();
      case 'gc':
        (globalThis as { gc?: () => void }).gc?.();
        return usage();
      case 'profileStart':
        await profileStart();
        return undefined;
      case 'profileStop':
        await profileStop(String(request['path']));
        return undefined;
      case 'stop': {
        await stopServer();
        const final = usage();
        // Let the reply go out, then leave.
        setImmediate(() => process.disconnect());
        return final;
      }
      default:
        throw new Error(`unknown op ${request.op}`);
    }
  });
  // The bench died or said stop: do not linger.
  process.on('disconnect', () => {
    void stopServer().finally(() => process.exit(0));
  });
  const ready: ServerProcReady = { type: 'ready', url, startMs, usage: usage() };
  process.send?.(ready);
}

void main();
