/** @module cli/commands/invoke: `mqs invoke`, one synchronous invocation of a function of the synthesized CDK app. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { ensureSynth, findFunction, loadPlan, LogStore, startRuntime } from '../../runtime/index.ts';
import { resolveServerConfig } from '../../server/config.ts';
import { type RunningServer, startServer } from '../../server/start-server.ts';

interface InvokeFlags {
  payload: unknown;
  endpoint?: string;
  dataDir?: string;
  inMemory?: boolean;
  cdkOut?: string;
  logs?: boolean;
}

/** `--payload '{"count":10}'` or `--payload @event.json`. */
function parsePayload(text: string): unknown {
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new InvalidArgumentError(`cannot read ${text.slice(1)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new InvalidArgumentError(`not JSON: ${source.length > 80 ? `${source.slice(0, 80)}…` : source}`);
  }
}

function parseUrl(text: string): string {
  if (!/^https?:\/\/[^/]+/.test(text)) throw new InvalidArgumentError(`expected an http(s) URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

/** The cloud assembly: `--cdk-out` as is, else cdk.out synthesized from the CDK app in the current directory if it changed. */
async function cloudAssembly(flags: InvokeFlags): Promise<string> {
  if (flags.cdkOut !== undefined) return resolve(flags.cdkOut);
  const cwd = process.cwd();
  if (!existsSync(join(cwd, 'cdk.json'))) throw new Error('no cdk.json here: run mqs invoke from the project root, or pass --cdk-out');
  const synth = await ensureSynth({ cwd });
  if (synth.synthesized) process.stderr.write(`mqs: synthesized the CDK app in ${(synth.ms / 1000).toFixed(1)} s\n`);
  return synth.cdkOut;
}

async function runInvoke(name: string, flags: InvokeFlags): Promise<void> {
  // The runtime's own SQS client would warn that the SDK will need Node 22 in 2027: noise for a one-shot command.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const plan = loadPlan({ cdkOut: await cloudAssembly(flags) });
  const fn = findFunction(plan, name);
  const config = resolveServerConfig({ port: 0, host: '127.0.0.1', dataDir: flags.dataDir, inMemory: flags.inMemory });
  let server: RunningServer | undefined;
  if (flags.endpoint === undefined) {
    try {
      server = await startServer({ port: 0, host: '127.0.0.1', dataDir: config.dataDir, inMemory: config.isInMemory });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot open the data in ${resolve(config.dataDir)} (${reason}); if mqs start is running, pass --endpoint with its URL`);
    }
  }
  const endpoint = flags.endpoint ?? server?.url ?? '';
  const logStore = config.isInMemory ? new LogStore({ inMemory: true }) : new LogStore({ dataDir: config.dataDir });
  try {
    const runtime = await startRuntime({ plan, endpoint, logStore, isPolling: false, region: config.region });
    try {
      const invoked = await runtime.invoke(fn.name, flags.payload);
      const body = invoked.status === 'success' ? invoked.result : invoked.error;
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      if (flags.logs === true && invoked.outcome.status !== 'throttled') {
        // A fresh runtime: the stream holds this invocation only (with its INIT).
        for (const event of logStore.query({ group: fn.logging.logGroup, stream: invoked.outcome.logStream })) {
          process.stderr.write(event.message.endsWith('\n') ? event.message : `${event.message}\n`);
        }
      } else if (invoked.report !== undefined) {
        process.stderr.write(invoked.report);
      }
      if (invoked.status !== 'success') throw new Error(`${fn.name} failed: ${invoked.error?.errorType ?? invoked.status}`);
    } finally {
      await runtime.stop();
    }
  } finally {
    logStore.close();
    await server?.stop();
  }
}

/** Adds `mqs invoke` to the program. */
export function registerInvokeCommand(program: Command): void {
  program
    .command('invoke')
    .description(
      'Invoke a function of the CDK app once, synchronously, on the local Lambda runtime (like `aws lambda invoke`). ' +
        'Synthesizes the app first if it changed since the last synth. Prints the function\'s result (or its error) as ' +
        'JSON on stdout and the REPORT line on stderr; exits 1 when the function failed (error, timeout). Without --endpoint it runs its ' +
        'own SQS server on the data directory, so what the producer sends stays there for `mqs start`; logs are stored in ' +
        '<data-dir>/logs.sqlite for `mqs logs`.',
    )
    .argument('<function>', 'function name, or its role: producer, consumer-1, consumer-2')
    .option('--payload <json>', 'the event, as JSON or @file.json', parsePayload, {})
    .option('--endpoint <url>', 'SQS endpoint to use, e.g. the one `mqs start` or `mqs server` printed (default: start one here)', parseUrl)
    .option('--data-dir <dir>', 'directory of the queue data and the logs (default: ./.mqs; env MQS_DATA_DIR)')
    .option('--in-memory', 'keep queues and logs in memory only (env MQS_IN_MEMORY=true)')
    .option('--cdk-out <dir>', 'use this cloud assembly as is, without synthesizing')
    .option('--logs', "print the invocation's log lines (START … REPORT, or platform.start … platform.report for a JSON-format function) instead of only the REPORT line")
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  mqs invoke producer --payload \'{"count":10,"groups":2}\'   # 10 orders in 2 groups into ./.mqs\n' +
        '  mqs invoke producer --payload @event.json --endpoint http://127.0.0.1:9324\n' +
        '  mqs invoke consumer-1 --payload @sqs-event.json --in-memory --logs\n',
    )
    .action((name: string, flags: InvokeFlags) => runInvoke(name, flags));
}
