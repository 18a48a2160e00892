/**
 * @module runtime/worker/console-format: how the Lambda Node.js runtime turns console calls into CloudWatch events
 * (spec §F.6). Plain JavaScript because it runs inside the function's worker thread, where no TypeScript loader is
 * registered (tsx's hooks do not reach worker threads on Node 20); types are in console-format.d.mts.
 */
// @ts-check
import { format } from 'node:util';

/** Console levels in priority order; `AWS_LAMBDA_LOG_LEVEL` drops those below it. */
export const CONSOLE_LEVELS = Object.freeze({ TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 });

/**
 * One text-format application event: `<ISO time>\t<requestId>\t<LEVEL>\t<util.format(args)>\n`. Outside an
 * invocation (module init) the request id prints as `undefined`, as on Lambda. Multi-line messages stay one event.
 * @param {number} timeMs
 * @param {string | undefined} requestId
 * @param {string} level
 * @param {unknown[]} args
 * @returns {string}
 */
export function formatTextEvent(timeMs, requestId, level, args) {
  return `${new Date(timeMs).toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`;
}

/**
 * An Error as the JSON-format runtime embeds it: errorType (constructor name), errorMessage, stackTrace lines, then
 * its own enumerable fields.
 * @param {unknown} _key
 * @param {unknown} value
 */
function jsonErrorReplacer(_key, value) {
  if (value instanceof Error) {
    return {
      errorType: value.constructor?.name ?? 'UnknownError',
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
      ...value,
    };
  }
  return value;
}

/**
 * One JSON-format application event: `{"timestamp","level","requestId","message"}`. A single argument is embedded as
 * the message (objects stay objects, Errors become {errorType, errorMessage, stackTrace}); several arguments are
 * `util.format`ted, and the first Error among them adds errorType / errorMessage / stackTrace next to the message.
 * @param {number} timeMs
 * @param {string | undefined} requestId
 * @param {string} level
 * @param {unknown[]} args
 * @returns {string}
 */
export function formatJsonEvent(timeMs, requestId, level, args) {
  /** @type {Record<string, unknown>} */
  const event = { timestamp: new Date(timeMs).toISOString(), level, requestId };
  if (args.length === 1) {
    event['message'] = args[0];
    try {
      return JSON.stringify(event, jsonErrorReplacer);
    } catch {
      // Circular or BigInt: fall back to the inspected text.
      event['message'] = format(args[0]);
      return JSON.stringify(event);
    }
  }
  event['message'] = format(...args);
  const error = args.find((arg) => arg instanceof Error);
  if (error instanceof Error) {
    event['errorType'] = error.constructor?.name ?? 'UnknownError';
    event['errorMessage'] = error.message;
    event['stackTrace'] = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(event);
}

/**
 * An Error with its non-enumerable name/message/stack made visible, as the text-format "Invoke Error" line shows it.
 * @param {unknown} _key
 * @param {unknown} value
 */
function withEnumerableFields(_key, value) {
  if (!(value instanceof Error)) return value;
  /** @type {Record<string, unknown>} */
  const out = { errorType: value.name, errorMessage: value.message, code: /** @type {{code?: unknown}} */ (value).code, ...value };
  if (typeof value.stack === 'string') out['stack'] = value.stack.split('\n');
  return out;
}

/**
 * The second argument of the text-format "Invoke Error" line: a tab, then the error as JSON, so the event reads
 * `…\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"…","stack":[…]}`.
 * @param {Error} error
 * @returns {string}
 */
export function formatErrorForText(error) {
  try {
    return `\t${JSON.stringify(error, withEnumerableFields)}`;
  } catch {
    return `\t${JSON.stringify(toErrorPayload(error))}`;
  }
}

/**
 * Anything thrown, as an Error (Lambda wraps non-Errors the same way before logging them).
 * @param {unknown} thrown
 * @returns {Error}
 */
export function intoError(thrown) {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/**
 * The error payload an invocation returns: `{errorType, errorMessage, trace}`.
 * @param {unknown} thrown
 * @returns {{ errorType: string, errorMessage: string, trace: string[] }}
 */
export function toErrorPayload(thrown) {
  if (thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown && 'stack' in thrown)) {
    const error = /** @type {Error} */ (thrown);
    return { errorType: String(error.name), errorMessage: String(error.message), trace: typeof error.stack === 'string' ? error.stack.split('\n') : [] };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}
