/** @module bench/environment: what machine and code a bench result comes from. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** The facts printed above the tables and stored with the JSON result. */
export interface Environment {
  node: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  sdkVersion: string;
  commit: string;
  /** 1-minute load average when the bench started (other work on the machine makes results noisy). */
  loadAverageAtStart: number;
  startedAt: string;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted src/ changes` : head;
  } catch {
    return 'unknown';
  }
}

function sdkVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@aws-sdk/client-sqs/package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Reads the environment now. Never throws (unknown facts read `unknown`). */
export function describeEnvironment(): Environment {
  return {
    node: process.version,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    sdkVersion: sdkVersion(),
    commit: gitCommit(),
    loadAverageAtStart: os.loadavg()[0] ?? 0,
    startedAt: new Date().toISOString(),
  };
}
