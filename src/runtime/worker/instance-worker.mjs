/**
 * @module runtime/worker/instance-worker: one Lambda execution environment, run in its own worker thread. It patches
 * console and stdout/stderr the way the Lambda Node.js runtime does, imports the handler module (the Init phase),
 * then runs one invocation at a time on request from function-instance.ts. Plain JavaScript: see console-format.mjs.
 *
 * Messages to the parent: {type:'ready', initDurationMs} | {type:'init-error', initDurationMs, error} |
 * {type:'logs', events:[timeMs, message][]} | {type:'done', requestId, payload?, error?, maxMemoryUsedMb, isFatal} |
 * {type:'fatal', error} between invocations. `isFatal` / `fatal`: the environment is broken (an uncaught error) and
 * must be replaced, as Lambda does.
 */
// @ts-check
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { CONSOLE_LEVELS, formatErrorForText, formatJsonEvent, formatTextEvent, intoError, toErrorPayload } from './console-format.mjs';

/**
 * @typedef {{ codeDir: string, handler: string, functionName: string, functionVersion: string, memorySizeMb: number,
 *   invokedFunctionArn: string, logGroupName: string, logStreamName: string, isJsonFormat: boolean,
 *   isSourceMapsEnabled: boolean }} WorkerConfig
 * @typedef {{ type: 'invoke', requestId: string, event: unknown, deadlineMs: number }} InvokeMessage
 */

const port = parentPort;
if (port === null) throw new Error('instance-worker.mjs runs only as a worker thread');
const config = /** @type {WorkerConfig} */ (workerData);
const REQUEST_ID_SYMBOL = Symbol.for('aws.lambda.runtime.requestId');
const FLUSH_AT_EVENTS = 256;
const BYTES_PER_MB = 1024 * 1024;

/** @type {Array<[number, string]>} */
let pending = [];
let isFlushScheduled = false;
/** @type {string | undefined} */
let currentRequestId;
let maxMemoryUsedBytes = 0;

function flush() {
  isFlushScheduled = false;
  if (pending.length === 0) return;
  port?.postMessage({ type: 'logs', events: pending });
  pending = [];
}

/** @param {string} message */
function emit(message) {
  pending.push([Date.now(), message]);
  // Events written in one synchronous stretch go out together; a long stretch is cut every FLUSH_AT_EVENTS.
  if (pending.length >= FLUSH_AT_EVENTS) flush();
  else if (!isFlushScheduled) {
    isFlushScheduled = true;
    setImmediate(flush);
  }
}

// ---- console, as the Lambda runtime patches it ------------------------------------------------------------------
const formatEvent = config.isJsonFormat ? formatJsonEvent : formatTextEvent;
// AWS_LAMBDA_LOG_LEVEL is set (from ApplicationLogLevel) only with the JSON format.
const minimumLevel = CONSOLE_LEVELS[/** @type {keyof typeof CONSOLE_LEVELS} */ (process.env['AWS_LAMBDA_LOG_LEVEL']?.toUpperCase() ?? 'TRACE')] ?? 1;
/** @param {keyof typeof CONSOLE_LEVELS} level */
const logAt = (level) =>
  CONSOLE_LEVELS[level] >= minimumLevel
    ? (/** @type {unknown[]} */ ...args) => emit(formatEvent(Date.now(), currentRequestId, level, args))
    : () => {};
const patchedConsole = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (console));
patchedConsole['trace'] = logAt('TRACE');
patchedConsole['debug'] = logAt('DEBUG');
patchedConsole['info'] = logAt('INFO');
patchedConsole['log'] = patchedConsole['info'];
patchedConsole['warn'] = logAt('WARN');
patchedConsole['error'] = logAt('ERROR');
patchedConsole['fatal'] = logAt('FATAL');

/** @param {unknown} thrown @param {string} title */
function logError(title, thrown) {
  const error = intoError(thrown);
  if (config.isJsonFormat) console.error(error);
  else console.error(title, formatErrorForText(error));
}

// ---- stdout/stderr: raw writes (Powertools Logger writes its own JSON here) become one event per line -----------
/** @param {NodeJS.WriteStream} stream */
function captureLines(stream) {
  let partial = '';
  const decoder = new TextDecoder();
  /** @type {(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => boolean} */
  const write = (chunk, encodingOrCallback, callback) => {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.decode(chunk) : String(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      emit(partial + text.slice(start, end + 1));
      partial = '';
      start = end + 1;
    }
    partial += text.slice(start);
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') queueMicrotask(() => done());
    return true;
  };
  stream.write = /** @type {NodeJS.WriteStream['write']} */ (write);
  return () => {
    if (partial !== '') emit(partial);
    partial = '';
  };
}
const endStdoutLine = captureLines(process.stdout);
const endStderrLine = captureLines(process.stderr);

// ---- init: import the handler module ------------------------------------------------------------------------------
/** Lambda's handler string: `path/to/file.export.nested`; the file is tried as .js, .mjs, .cjs. */
async function loadHandler() {
  const match = /^([^.]*)\.(.+)$/.exec(config.handler);
  if (match === null) throw Object.assign(new Error(`Bad handler ${config.handler}`), { name: 'Runtime.MalformedHandlerName' });
  const [, modulePath = '', exportPath = ''] = match;
  const file = ['.js', '.mjs', '.cjs'].map((extension) => join(config.codeDir, modulePath + extension)).find((path) => existsSync(path));
  if (file === undefined) {
    throw Object.assign(new Error(`Cannot find module '${modulePath}'`), { name: 'Runtime.ImportModuleError' });
  }
  /** @type {unknown} */
  let target = await import(pathToFileURL(file).href);
  for (const key of exportPath.split('.')) target = /** @type {Record<string, unknown> | undefined} */ (target)?.[key];
  if (typeof target !== 'function') {
    throw Object.assign(new Error(`${config.handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return /** @type {(event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown} */ (target);
}

if (config.isSourceMapsEnabled) process.setSourceMapsEnabled(true);
const initStart = performance.now();
/** @type {Awaited<ReturnType<typeof loadHandler>>} */
let handler;
try {
  handler = await loadHandler();
  flush();
  port.postMessage({ type: 'ready', initDurationMs: performance.now() - initStart });
} catch (error) {
  // Lambda logs the init error with no request id, then fails the invocation that needed the environment.
  logError('Init Error', error);
  endStdoutLine();
  endStderrLine();
  flush();
  port.postMessage({ type: 'init-error', initDurationMs: performance.now() - initStart, error: toErrorPayload(error) });
}

// ---- invocations ----------------------------------------------------------------------------------------------------
/** @param {InvokeMessage} message */
function contextOf(message) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: config.functionVersion,
    invokedFunctionArn: config.invokedFunctionArn,
    memoryLimitInMB: String(config.memorySizeMb),
    awsRequestId: message.requestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
}

/** @param {InvokeMessage} message */
function runHandler(message) {
  return new Promise((resolve, reject) => {
    /** @type {(error?: unknown, result?: unknown) => void} */
    const callback = (error, result) => (error !== undefined && error !== null ? reject(error) : resolve(result));
    const context = {
      ...contextOf(message),
      done: callback,
      succeed: (/** @type {unknown} */ result) => callback(null, result),
      fail: (/** @type {unknown} */ error) => callback(error ?? 'handled'),
    };
    const returned = handler(message.event, context, callback);
    // Callback-style handlers (three parameters) answer through the callback; others through their return value.
    if (returned !== null && typeof returned === 'object' && 'then' in returned && typeof returned.then === 'function') {
      /** @type {PromiseLike<unknown>} */ (returned).then(resolve, reject);
    } else if (handler.length < 3) {
      resolve(returned);
    }
  });
}

function measureMemory() {
  // This isolate's V8 heap (physical pages) plus memory held outside it (Buffers): the part of the process this
  // instance owns. Lambda's figure counts the whole sandbox (runtime included), so ours reads lower.
  const heap = getHeapStatistics();
  maxMemoryUsedBytes = Math.max(maxMemoryUsedBytes, heap.total_physical_size + heap.external_memory);
  return Math.ceil(maxMemoryUsedBytes / BYTES_PER_MB);
}

/**
 * @param {{ requestId: string | undefined, payload?: string, error?: ReturnType<typeof toErrorPayload> }} outcome
 * @param {boolean} [isFatal] the environment is broken: the parent must not reuse it
 */
function finish(outcome, isFatal = false) {
  endStdoutLine();
  endStderrLine();
  flush();
  port?.postMessage({ type: 'done', ...outcome, maxMemoryUsedMb: measureMemory(), isFatal });
  currentRequestId = undefined;
}

/** @param {InvokeMessage} message */
async function invoke(message) {
  currentRequestId = message.requestId;
  /** @type {Record<symbol, unknown>} */ (globalThis)[REQUEST_ID_SYMBOL] = message.requestId;
  let result;
  try {
    result = await runHandler(message);
  } catch (error) {
    // Already answered (an uncaught error ended this invocation first): nothing more to say.
    if (currentRequestId !== message.requestId) return;
    logError('Invoke Error', error);
    finish({ requestId: message.requestId, error: toErrorPayload(error) });
    return;
  }
  if (currentRequestId !== message.requestId) return;
  let payload;
  try {
    // Lambda returns the result as JSON; undefined becomes null.
    payload = JSON.stringify(result) ?? 'null';
  } catch (error) {
    const cause = toErrorPayload(error);
    finish({ requestId: message.requestId, error: { ...cause, errorType: 'Runtime.MarshalError' } });
    return;
  }
  finish({ requestId: message.requestId, payload });
}

// An error nobody catches breaks the environment: fail the invocation (if any) and ask to be replaced.
/** @param {string} title @param {string} errorType */
const onFatal = (title, errorType) => (/** @type {unknown} */ thrown) => {
  logError(title, thrown);
  const error = { ...toErrorPayload(thrown), errorType };
  if (currentRequestId !== undefined) finish({ requestId: currentRequestId, error }, true);
  else port?.postMessage({ type: 'fatal', error });
};
if (handler !== undefined) {
  process.on('uncaughtException', onFatal('Uncaught Exception', 'Runtime.UncaughtException'));
  process.on('unhandledRejection', onFatal('Unhandled Promise Rejection', 'Runtime.UnhandledPromiseRejection'));
  port.on('message', (/** @type {InvokeMessage} */ message) => {
    if (message.type === 'invoke') void invoke(message);
  });
}
