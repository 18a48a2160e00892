/**
 * @module runtime/synth: runs `cdk synth` only when the CDK app or the function sources changed since the last
 * synth (a content hash of infra/**, src/functions/**, cdk.json and package-lock.json, kept in cdk.out).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Inputs of the synth: directories (walked) and files, relative to the project root. */
export const SYNTH_INPUTS = { directories: ['infra', 'src/functions'], files: ['cdk.json', 'package-lock.json'] } as const;
/** Where the hash of the last successful synth is kept, inside the cloud assembly. */
export const SYNTH_HASH_FILE = '.mqs-synth-hash';

/** What {@link ensureSynth} did. */
export interface SynthResult {
  /** False when cdk.out was up to date. */
  readonly synthesized: boolean;
  readonly ms: number;
  /** The cloud assembly directory. */
  readonly cdkOut: string;
  readonly hash: string;
}

/** Options of {@link ensureSynth}. */
export interface EnsureSynthOptions {
  /** The project root (where cdk.json is). */
  readonly cwd: string;
  /** Synthesize even when nothing changed. */
  readonly force?: boolean;
  /** Extra CDK context (`-c key=value`), part of the hash. */
  readonly context?: Readonly<Record<string, string>>;
  /** Cloud assembly directory, default `<cwd>/cdk.out` (cdk.json's `output`). */
  readonly cdkOut?: string;
}

function walk(dir: string, into: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'cdk.out') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    // Tests do not change what is deployed (cdk.json's watch excludes them too).
    else if (entry.isFile() && !entry.name.endsWith('.test.ts')) into.push(path);
  }
}

/** Content hash of everything the synthesized template and bundles depend on. */
export function synthInputHash(cwd: string, context: Readonly<Record<string, string>> = {}): string {
  const files: string[] = [];
  for (const dir of SYNTH_INPUTS.directories) walk(join(cwd, dir), files);
  for (const file of SYNTH_INPUTS.files) if (existsSync(join(cwd, file))) files.push(join(cwd, file));
  const hash = createHash('sha256');
  for (const file of files.map((path) => relative(cwd, path)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(cwd, file)));
    hash.update('\0');
  }
  hash.update(JSON.stringify(Object.entries(context).sort()));
  return hash.digest('hex');
}

/**
 * Synthesizes the CDK app with the project's own `cdk` (node_modules/.bin/cdk, telemetry off, no network) unless
 * cdk.out already holds a synth of the same inputs.
 * @throws Error with the tail of cdk's output when the synth fails, or when the local cdk binary is missing.
 */
export async function ensureSynth(options: EnsureSynthOptions): Promise<SynthResult> {
  const started = performance.now();
  const cdkOut = options.cdkOut ?? join(options.cwd, 'cdk.out');
  const context = options.context ?? {};
  const hash = synthInputHash(options.cwd, context);
  const hashFile = join(cdkOut, SYNTH_HASH_FILE);
  const isUpToDate = existsSync(join(cdkOut, 'manifest.json')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash;
  if (isUpToDate && options.force !== true) return { synthesized: false, ms: performance.now() - started, cdkOut, hash };

  const cdk = join(options.cwd, 'node_modules', '.bin', 'cdk');
  if (!existsSync(cdk)) throw new Error(`${cdk} not found: run npm ci first`);
  const args = ['synth', '--quiet', '--output', cdkOut, ...Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cdk, args, {
      cwd: options.cwd,
      // No network: no telemetry, no version check (it only runs on a TTY anyway), notices are off in cdk.json.
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`cdk synth failed (exit ${code}):\n${output.trim()}`))));
  });
  writeFileSync(hashFile, `${hash}\n`);
  return { synthesized: true, ms: performance.now() - started, cdkOut, hash };
}
