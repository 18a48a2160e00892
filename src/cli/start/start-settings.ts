/**
 * @module cli/start/start-settings: the flags of `mqs start`, their defaults, and which run a start drives: a new one,
 * or the run of the data directory that has not drained yet (resumed: the producer is not invoked again).
 */
import { InvalidArgumentError } from 'commander';
import type { RunRecord } from './run-file.ts';

/** Every default of `mqs start` in one place (a flow a newcomer can watch: ~20 messages in flight while it drains). */
export const START_DEFAULTS = {
  messages: 100,
  groups: 10,
  workMs: 200,
  failureRate: 0,
} as const;

/** Limits of the flags (the producer's and the consumers' own limits, docs/deploy.md). */
export const START_LIMITS = {
  maxMessages: 1_000_000,
  maxWorkMs: 60_000,
  maxVisibilityTimeoutSeconds: 43_200,
} as const;

/** The flags as commander hands them over (absent: undefined). */
export interface StartFlags {
  readonly messages?: number;
  readonly groups?: number;
  readonly workMs?: number;
  readonly failureRate?: number;
  readonly poisonEvery?: number;
  readonly visibilityTimeout?: number;
  readonly exitWhenDrained?: boolean;
  readonly newRun?: boolean;
  readonly port?: number;
  readonly dataDir?: string;
  readonly inMemory?: boolean;
  readonly cdkOut?: string;
  readonly forceSynth?: boolean;
}

/** A commander argument parser for an integer in [min, max]. */
export function integerFlag(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got "${text}"`);
    }
    return value;
  };
}

/** A commander argument parser for a probability. */
export function rateFlag(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new InvalidArgumentError(`expected a number from 0 to 1, got "${text}"`);
  return value;
}

/** A combination of flags that cannot work (the command reports it as a usage error, exit code 2). */
export class StartUsageError extends Error {
  override readonly name = 'StartUsageError';
}

/** What a run is made of. */
export interface RunSettings {
  readonly messages: number;
  readonly groups: number;
  readonly poisonEvery?: number;
  readonly workMs: number;
  readonly failureRate: number;
  readonly visibilityTimeoutSeconds?: number;
}

/** The decision of a start. */
export type RunChoice =
  | { readonly kind: 'new'; readonly settings: RunSettings; readonly notes: readonly string[] }
  | { readonly kind: 'resume'; readonly run: RunRecord; readonly settings: RunSettings; readonly notes: readonly string[] };

/**
 * Decides which run to drive. The previous run of the data directory is resumed unless it drained (whatever its
 * verdict: a drained run is finished) or `--new-run` is given. A resumed run keeps its size; the consumers' settings
 * come from flags given now, else from the run.
 * @throws StartUsageError when --groups exceeds --messages.
 */
export function chooseRun(flags: StartFlags, previous: RunRecord | undefined): RunChoice {
  if (previous !== undefined && previous.state !== 'drained' && flags.newRun !== true) {
    const notes: string[] = [];
    const sizeFlags = [
      flags.messages !== undefined && flags.messages !== previous.messages ? `--messages ${flags.messages}` : undefined,
      flags.groups !== undefined && flags.groups !== previous.groups ? `--groups ${flags.groups}` : undefined,
      flags.poisonEvery !== undefined && flags.poisonEvery !== previous.poisonEvery ? `--poison-every ${flags.poisonEvery}` : undefined,
    ].filter((text) => text !== undefined);
    if (sizeFlags.length > 0) notes.push(`${sizeFlags.join(' ')} ignored: run ${previous.runId} has not drained yet; pass --new-run to start another`);
    const visibility = flags.visibilityTimeout ?? previous.visibilityTimeoutSeconds;
    return {
      kind: 'resume',
      run: previous,
      notes,
      settings: {
        messages: previous.messages,
        groups: previous.groups,
        ...(previous.poisonEvery === undefined ? {} : { poisonEvery: previous.poisonEvery }),
        workMs: flags.workMs ?? previous.workMs,
        failureRate: flags.failureRate ?? previous.failureRate,
        ...(visibility === undefined ? {} : { visibilityTimeoutSeconds: visibility }),
      },
    };
  }
  const messages = flags.messages ?? START_DEFAULTS.messages;
  const groups = flags.groups ?? Math.min(START_DEFAULTS.groups, messages);
  if (groups > messages) throw new StartUsageError(`--groups (${groups}) cannot exceed --messages (${messages})`);
  return {
    kind: 'new',
    notes: [],
    settings: {
      messages,
      groups,
      ...(flags.poisonEvery === undefined ? {} : { poisonEvery: flags.poisonEvery }),
      workMs: flags.workMs ?? START_DEFAULTS.workMs,
      failureRate: flags.failureRate ?? START_DEFAULTS.failureRate,
      ...(flags.visibilityTimeout === undefined ? {} : { visibilityTimeoutSeconds: flags.visibilityTimeout }),
    },
  };
}
