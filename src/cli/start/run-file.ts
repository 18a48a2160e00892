/**
 * @module cli/start/run-file: `<data-dir>/run.json`, the producer run that `mqs start` is driving, so that a restart
 * resumes it (waits for it to drain and verifies it) instead of invoking the producer again, and so that `mqs verify`
 * knows the run's size, its queues and the DLQ count it started from.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name inside the data directory. */
export const RUN_FILE_NAME = 'run.json';

/** A run's life: the producer is sending (or was interrupted while sending), it has sent, the queue drained. */
export const RUN_STATES = ['producing', 'produced', 'drained'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** What the run file holds. */
export interface RunRecord {
  readonly version: 1;
  readonly runId: string;
  /** The producer payload's count / groups / poisonEvery. */
  readonly messages: number;
  readonly groups: number;
  readonly poisonEvery?: number;
  /** The consumers' settings of the run (a resumed run keeps them unless flags say otherwise). */
  readonly workMs: number;
  readonly failureRate: number;
  /** The `--visibility-timeout` override, when one was given. */
  readonly visibilityTimeoutSeconds?: number;
  readonly createdAt: string;
  readonly state: RunState;
  /** The producer's result. */
  readonly produced?: { readonly sent: number; readonly failed: number };
  /** The queues the run went through, and the DLQ count before the producer sent anything. */
  readonly queues?: {
    readonly queueName: string;
    readonly dlqName?: string;
    readonly maxReceiveCount?: number;
    readonly batchSize: number;
    readonly dlqBaseline?: number;
  };
  /** The verification at drain time. */
  readonly verdict?: { readonly isPassed: boolean; readonly violations: number; readonly at: string };
  /** The `mqs start` process driving the run now, so `mqs verify` can ask its server for the DLQ count. */
  readonly session?: { readonly pid: number; readonly endpoint: string };
}

/** Thrown when run.json exists but is not a run file. */
export class RunFileError extends Error {
  override readonly name = 'RunFileError';
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The run file of `dataDir`, or undefined when there is none.
 * @throws RunFileError when the file cannot be read or is not a run file (the message says how to start over).
 */
export function readRunFile(dataDir: string): RunRecord | undefined {
  const path = join(dataDir, RUN_FILE_NAME);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RunFileError(`${path} is unreadable (${error instanceof Error ? error.message : String(error)}); delete it or pass --new-run`);
  }
  const isValid =
    isRecord(parsed) &&
    parsed['version'] === 1 &&
    typeof parsed['runId'] === 'string' &&
    Number.isInteger(parsed['messages']) &&
    Number.isInteger(parsed['groups']) &&
    typeof parsed['workMs'] === 'number' &&
    typeof parsed['failureRate'] === 'number' &&
    (RUN_STATES as readonly unknown[]).includes(parsed['state']);
  if (!isValid) throw new RunFileError(`${path} is not an mqs run file; delete it or pass --new-run`);
  return parsed as unknown as RunRecord;
}

/** Writes the run file atomically (a crash leaves the old or the new file, never half of one). */
export function writeRunFile(dataDir: string, run: RunRecord): void {
  const path = join(dataDir, RUN_FILE_NAME);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(run, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Whether a process with this pid is alive (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** A new run id: `run-<UTC yyyymmdd-hhmmss>-<4 hex>` (valid for the producer: no spaces or colons, ≤ 64 chars). */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0')}`;
}
