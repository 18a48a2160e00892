/**
 * @module test/clients/tools: finds the external clients the tests drive — Debian's `awscli` (2.9) and
 * `python3-boto3` (1.26), both speaking the query protocol — and runs them with a clean, offline AWS environment.
 *
 * A missing tool FAILS its test with a message naming the package (`.ci/run` installs them from `.ci/apt-packages`, so
 * CI must never pass without them). To run the rest of the suite on a machine without them, set
 * `MQS_SKIP_MISSING_CLIENTS=1`: the test is then reported as skipped, with the same message — never as passed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { CLIENT_REGION } from './client-server.ts';

/** A tool that was found, or why not. */
export type ToolLookup = { isFound: true; path: string; version: string; detail: string } | { isFound: false; problem: string };

const APT_HINT = 'install it with `sudo apt-get install -y awscli python3-boto3` (Debian/Ubuntu; .ci/run does this from .ci/apt-packages)';

function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((path) => existsSync(path));
}

/**
 * The environment of a child AWS tool: the given key, the test region, no config or credentials files, no metadata
 * service, no pager or prompts, no proxy for loopback — so it talks to the test server and nothing else.
 */
export function awsToolEnv(key: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: CLIENT_REGION,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CLI_AUTO_PROMPT: 'off',
    AWS_PAGER: '',
    AWS_RETRY_MODE: 'standard',
    AWS_MAX_ATTEMPTS: '1',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    PYTHONIOENCODING: 'utf-8',
  };
}

/** Debian's `aws` (or `MQS_TEST_AWS_CLI`). Prefers /usr/bin/aws over a PATH one (pyenv shims and the like). */
export function findAwsCli(): ToolLookup {
  const path = process.env.MQS_TEST_AWS_CLI || firstExisting(['/usr/bin/aws', '/usr/local/bin/aws']);
  if (path === undefined) return { isFound: false, problem: `The AWS CLI (Debian package awscli) is missing: ${APT_HINT}.` };
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', env: awsToolEnv({ accessKeyId: 'x', secretAccessKey: 'x' }) });
  if (run.error !== undefined) return { isFound: false, problem: `${path} cannot run (${run.error.message}): ${APT_HINT}.` };
  const version = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status !== 0 || !version.startsWith('aws-cli/')) {
    return { isFound: false, problem: `${path} --version failed (${version || `exit status ${run.status}`}); ${APT_HINT}.` };
  }
  return { isFound: true, path, version, detail: version };
}

/** Debian's `python3` with boto3 (or `MQS_TEST_PYTHON`), with the boto3/botocore versions and the SQS protocol. */
export function findBoto3(): ToolLookup {
  const path = process.env.MQS_TEST_PYTHON || firstExisting(['/usr/bin/python3']);
  if (path === undefined) return { isFound: false, problem: `python3 with boto3 (Debian package python3-boto3) is missing: ${APT_HINT}.` };
  const run = spawnSync(
    path,
    ['-c', "import boto3, botocore.session as s; print(boto3.__version__, s.get_session().get_service_model('sqs').protocol)"],
    { encoding: 'utf8', env: awsToolEnv({ accessKeyId: 'x', secretAccessKey: 'x' }) },
  );
  if (run.error !== undefined) return { isFound: false, problem: `${path} cannot run (${run.error.message}): ${APT_HINT}.` };
  if (run.status !== 0) {
    const last = (run.stderr ?? '').trim().split('\n').pop() ?? '';
    return { isFound: false, problem: `${path} cannot import boto3 (python3-boto3 is missing): ${APT_HINT}. ${last}` };
  }
  const [version = '', protocol = ''] = run.stdout.trim().split(' ');
  return { isFound: true, path, version, detail: `boto3 ${version}, SQS protocol ${protocol}` };
}

/**
 * The tool's path, or — when it is missing — a failed test naming what to install (a skipped one with
 * `MQS_SKIP_MISSING_CLIENTS=1`). Call first thing in a test.
 */
export function requireTool(t: TestContext, lookup: ToolLookup): string | undefined {
  if (lookup.isFound) return lookup.path;
  if (process.env.MQS_SKIP_MISSING_CLIENTS === '1') {
    t.skip(`${lookup.problem} (skipped: MQS_SKIP_MISSING_CLIENTS=1)`);
    return undefined;
  }
  throw new Error(`${lookup.problem} (set MQS_SKIP_MISSING_CLIENTS=1 to skip this test instead)`);
}

/** What a finished child wrote. */
export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` with `env`, feeding `input`; resolves when it exits (never rejects on a non-zero status). */
export function runTool(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
