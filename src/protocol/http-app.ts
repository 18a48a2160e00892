/** @module protocol/http-app: the node:http request handler: routing, body limits, protocol detection, the one edge handler. */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type Clock, type Engine, EngineError } from '../engine/index.ts';
import type { ActionContext } from './action-context.ts';
import type { RequestAuthenticator } from './auth/sigv4-verifier.ts';
import { sqsErrorFromEngine } from './engine-error-map.ts';
import { jsonProtocol } from './json-protocol.ts';
import type { QueueUrls } from './queue-urls.ts';
import { senderIdFromAuthorization } from './sender-id.ts';
import { SqsError, SqsErrors } from './sqs-error.ts';
import type { WireProtocol, WireRequest, WireRequestHead, WireResponse } from './wire-protocol.ts';

/**
 * The most request body bytes read. A legal request carries at most 1 MiB of message data (body plus attributes),
 * but encoding inflates it, at worst:
 * - form encoding of base64 that is all `+` and `/` (each a 3-byte `%2B`): 4/3 x 3 = 4x for a Binary attribute;
 * - JSON from an encoder that escapes `<`, `>` and `&` as 6-byte `\u003c` (Go's): 6x for a body of those;
 * - JSON with `ensure_ascii` (boto3): a 2-byte UTF-8 character becomes a 6-byte `\uXXXX`, 3x.
 * 8 MiB covers the worst (6 MiB) with room for a batch's ids and attribute names; anything larger is refused
 * before it is buffered.
 */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;

const ADMIN_PREFIX = '/_admin';
const SLASH = 47;

/** Details an admin route handler gets. */
export interface AdminRequest {
  /** Path without the query string, starting with `/_admin`. */
  readonly path: string;
  readonly query: string;
  readonly requestId: string;
  readonly engine: Engine;
}

/**
 * The hook for the read-only `/_admin/*` routes (a later issue adds them). It writes the whole response itself;
 * anything it throws is rendered by the edge handler like any other error.
 */
export type AdminRouteHandler = (req: IncomingMessage, res: ServerResponse, admin: AdminRequest) => void | Promise<void>;

/** Where unexpected failures are reported (once per request, with its request id). */
export interface HttpAppLogger {
  error(message: string): void;
}

export interface HttpAppOptions {
  readonly engine: Engine;
  /** The engine's clock (long-poll deadlines). */
  readonly clock: Clock;
  readonly queueUrls: QueueUrls;
  /** Protocols tried in order (spec §A.0); defaults to JSON only. The first one renders errors of unknown requests. */
  readonly protocols?: readonly WireProtocol[];
  readonly adminRoutes?: AdminRouteHandler;
  /**
   * The dashboard page: answers a browser's `GET /` (it accepts `text/html`) that no protocol claims, i.e. with no
   * `Action=` and no `X-Amz-Target`, so no SQS request ever reaches it.
   */
  readonly dashboardPage?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /**
   * Checks every SQS request (not `/_admin/*`) once its body is read and its protocol known, throwing the SqsError to
   * answer with (in that protocol). Absent: any credentials pass (`--auth` not given).
   */
  readonly authenticate?: RequestAuthenticator;
  /**
   * Checks every request (SQS, `/_admin/*` and the dashboard) before anything else; returns why it is refused (answered
   * 403 AccessDenied), or undefined. See `browserGuard`.
   */
  readonly guard?: (headers: IncomingHttpHeaders) => string | undefined;
  readonly logger?: HttpAppLogger;
  readonly maxBodyBytes?: number;
  /**
   * The durability barrier: settles when every change made so far is committed to the store (rejects when that
   * commit failed), or `undefined` when nothing is waiting to commit. An SQS answer goes out only after it settles.
   * Absent (in memory): answers go out at once.
   */
  readonly whenCommitted?: () => Promise<void> | undefined;
}

/** A request handler for `http.createServer`, plus what `stop()` needs. */
export interface HttpApp {
  /** The `request` listener. Never throws; every request gets exactly one answer. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * The `checkContinue` listener (`Expect: 100-continue`): a body declared over the limit is refused at once,
   * without inviting the client to send it; anything else is invited and handled as usual.
   */
  readonly handleCheckContinue: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Starts stopping: long polls end now with an empty result, new requests get 503 with `Connection: close`.
   * Resolves once no request is in flight.
   */
  drain(): Promise<void>;
  /** Requests being handled right now. */
  readonly inFlightCount: number;
}

/**
 * When a request's answer can no longer reach its client: its response closed (written, or its connection gone), or
 * its connection closed while the response was still queued behind an earlier pipelined one (such a response gets
 * no 'close' of its own).
 */
class RequestLifetime {
  isOver = false;
  #callbacks: Array<() => void> | undefined;

  constructor(res: ServerResponse, socket: Socket) {
    const end = () => this.#end();
    res.once('close', end);
    this.#forgetSocket = onSocketClose(socket, end);
  }

  readonly #forgetSocket: () => void;

  /** Runs `callback` once when the request is over (at once if it is). */
  whenOver(callback: () => void): void {
    if (this.isOver) return callback();
    (this.#callbacks ??= []).push(callback);
  }

  #end(): void {
    if (this.isOver) return;
    this.isOver = true;
    this.#forgetSocket();
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks !== undefined) for (const callback of callbacks) callback();
  }
}

/** One 'close' listener per socket, however many pipelined requests wait on it. */
const socketCloseCallbacks = new WeakMap<Socket, Set<() => void>>();

/** Runs `callback` when `socket` closes; returns the function that cancels that. */
function onSocketClose(socket: Socket, callback: () => void): () => void {
  let callbacks = socketCloseCallbacks.get(socket);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    socketCloseCallbacks.set(socket, created);
    socket.once('close', () => {
      for (const pending of [...created]) pending();
      created.clear();
    });
  }
  const registered = callbacks;
  registered.add(callback);
  return () => void registered.delete(callback);
}

class RequestContext implements ActionContext {
  #controller: AbortController | undefined;

  constructor(
    readonly engine: Engine,
    readonly clock: Clock,
    readonly queueUrls: QueueUrls,
    private readonly headers: IncomingHttpHeaders,
    private readonly lifetime: RequestLifetime,
    private readonly app: AppState,
  ) {}

  senderId(): string {
    return senderIdFromAuthorization(this.headers.authorization);
  }

  traceHeader(): string | undefined {
    const value = this.headers['x-amzn-trace-id'];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }

  longPollSignal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    if (this.app.isStopping) {
      controller.abort();
      return controller.signal;
    }
    this.app.pollers.add(controller);
    // The client went away (also while this answer waited behind a pipelined one): nobody would get the messages.
    this.lifetime.whenOver(() => controller.abort());
    return controller.signal;
  }

  /** Called once the answer is written. */
  release(): void {
    if (this.#controller !== undefined) this.app.pollers.delete(this.#controller);
  }
}

interface AppState {
  isStopping: boolean;
  readonly pollers: Set<AbortController>;
  /** Requests still reading their body: stopping cuts them short (a client may stall mid-body for minutes). */
  readonly bodyReads: Set<(error: SqsError) => void>;
}

/** The client closed its connection before its request body was complete. Nobody is left to answer; nothing is logged. */
class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

function splitUrl(url: string): { path: string; query: string } {
  const mark = url.indexOf('?');
  return mark < 0 ? { path: url, query: '' } : { path: url.slice(0, mark), query: url.slice(mark + 1) };
}

/** `/<account>/<name>` with an optional trailing slash → that path without the slash, else `undefined`. */
function queuePathOf(path: string): string | undefined {
  let end = path.length;
  if (end > 1 && path.charCodeAt(end - 1) === SLASH) end--;
  const second = path.indexOf('/', 1);
  // Empty account or empty name.
  if (second <= 1 || second >= end - 1) return undefined;
  const third = path.indexOf('/', second + 1);
  // More than two segments.
  if (third !== -1 && third < end) return undefined;
  return end === path.length ? path : path.slice(0, end);
}

/** Smallest buffer a body of several chunks is gathered in. */
const BODY_BUFFER_BYTES = 16 * 1024;

/**
 * Reads a request body of at most `maxBytes`. A body of one chunk is that chunk; the chunks of a longer one are copied
 * into one buffer as they come, so a body sent in tiny chunks costs its size, not an object per chunk.
 * Registers in `reads` until it settles, so that stopping can cut it short.
 */
function readBody(req: IncomingMessage, maxBytes: number, reads: Set<(error: SqsError) => void>): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(SqsErrors.requestEntityTooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let gathered: Buffer | undefined;
    let size = 0;
    const settle = (error: Error | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      reads.delete(cancel);
      if (error !== undefined) reject(error);
      else resolve(gathered !== undefined ? gathered.subarray(0, size) : (first ?? Buffer.alloc(0)));
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) {
        // Stop keeping data; node discards the rest after the (Connection: close) answer.
        settle(SqsErrors.requestEntityTooLarge(maxBytes));
        return;
      }
      if (first === undefined && gathered === undefined) {
        first = chunk;
        size = chunk.length;
        return;
      }
      const needed = size + chunk.length;
      if (gathered === undefined || needed > gathered.length) {
        const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(needed, BODY_BUFFER_BYTES, (gathered?.length ?? 0) * 2)));
        (gathered ?? first)!.copy(grown, 0, 0, size);
        gathered = grown;
        first = undefined;
      }
      chunk.copy(gathered, size);
      size = needed;
    };
    const onEnd = () => settle(undefined);
    // 'error' comes with "aborted" when the connection closes before the body is complete.
    const onError = (error: Error) => settle(req.destroyed || req.socket.destroyed ? new ClientGoneError(error.message, { cause: error }) : error);
    const cancel = (error: SqsError) => settle(error);
    reads.add(cancel);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/**
 * Builds the HTTP handler. Routes: `POST /`, `POST|GET /<account>/<queue>` (QueueUrl may come from the path),
 * `/_admin/*` (the hook). Every answer carries a fresh `x-amzn-RequestId`; every error `x-amzn-query-error`.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { engine, clock, queueUrls } = options;
  const protocols = options.protocols ?? [jsonProtocol];
  const fallbackProtocol = protocols[0] ?? jsonProtocol;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const logger: HttpAppLogger = options.logger ?? { error: (message) => console.error(message) };
  const state: AppState = { isStopping: false, pollers: new Set(), bodyReads: new Set() };
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  /** The one edge handler: SqsError and EngineError are rendered; anything else is logged once and becomes a 500. */
  function toSqsError(error: unknown, requestId: string): SqsError {
    if (error instanceof SqsError) return error;
    if (error instanceof EngineError) return sqsErrorFromEngine(error);
    // Not the server's failure, and the answer has nowhere to go.
    if (error instanceof ClientGoneError) return SqsErrors.internalError({ cause: error });
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    logger.error(`mqs: request ${requestId} failed: ${detail}`);
    return SqsErrors.internalError({ cause: error });
  }

  function send(res: ServerResponse, requestId: string, response: WireResponse, error?: SqsError): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | number> = {
      'x-amzn-RequestId': requestId,
      'Content-Type': response.contentType,
      'Content-Length': response.body.length,
    };
    if (error !== undefined) headers['x-amzn-query-error'] = error.queryErrorHeader();
    // After a refused (too large) body or once stopping, close the connection instead of reading on.
    if (state.isStopping || error?.httpStatus === 413) headers['Connection'] = 'close';
    res.writeHead(response.status, headers);
    res.end(response.body);
  }

  function sendError(res: ServerResponse, requestId: string, protocol: WireProtocol, error: unknown): void {
    const sqsError = toSqsError(error, requestId);
    let response: WireResponse;
    try {
      response = protocol.renderError(sqsError, requestId);
    } catch (renderFailure) {
      logger.error(`mqs: request ${requestId}: rendering an error failed: ${String(renderFailure)}`);
      response = jsonProtocol.renderError(sqsError, requestId);
    }
    send(res, requestId, response, sqsError);
  }

  /** Routes and answers one request. Never rejects: every failure is answered through `sendError`. */
  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string, lifetime: RequestLifetime): Promise<void> {
    let protocol = fallbackProtocol;
    let ctx: RequestContext | undefined;
    try {
      const { path, query } = splitUrl(req.url ?? '/');
      const method = req.method ?? 'GET';
      const refusal = options.guard?.(req.headers);
      if (refusal !== undefined) throw SqsErrors.accessDenied(refusal);

      if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
        if (options.adminRoutes === undefined) throw SqsErrors.notFound(path);
        await options.adminRoutes(req, res, { path, query, requestId, engine });
        return;
      }
      if (state.isStopping) throw SqsErrors.serviceUnavailable();
      if (method !== 'POST' && method !== 'GET') throw SqsErrors.methodNotAllowed(method);

      let pathQueueUrl: string | undefined;
      if (path !== '/') {
        const queuePath = queuePathOf(path);
        if (queuePath === undefined) throw SqsErrors.notFound(path);
        pathQueueUrl = queueUrls.urlOfPath(queuePath);
      }
      const headers = req.headers;
      const head: WireRequestHead = { method, path, query, headers, pathQueueUrl, requestId };
      let matched: WireProtocol | undefined;
      for (const candidate of protocols) {
        if (candidate.matches(head)) {
          matched = candidate;
          break;
        }
      }
      if (matched === undefined) {
        if (options.dashboardPage !== undefined && method === 'GET' && path === '/' && headers.accept?.includes('text/html') === true) {
          await options.dashboardPage(req, res);
          return;
        }
        throw SqsErrors.unsupportedProtocol();
      }
      protocol = matched;

      const body = await readBody(req, maxBodyBytes, state.bodyReads);
      ctx = new RequestContext(engine, clock, queueUrls, headers, lifetime, state);
      const request: WireRequest = { method, path, query, headers, pathQueueUrl, requestId, body };
      options.authenticate?.(request);
      const response = await protocol.handle(ctx, request);
      const committed = options.whenCommitted?.();
      if (committed !== undefined) await committed;
      send(res, requestId, response);
    } catch (error) {
      sendError(res, requestId, protocol, error);
    } finally {
      ctx?.release();
    }
  }

  function finish(): void {
    inFlight--;
    if (inFlight === 0 && onIdle !== undefined) onIdle();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const requestId = randomUUID();
    inFlight++;
    // A request is done when its handler settled and its response is flushed (or the connection died), so that
    // `drain()` resolving means every answer has reached the socket.
    let pendingParts = 2;
    const partDone = () => {
      if (--pendingParts === 0) finish();
    };
    const lifetime = new RequestLifetime(res, req.socket);
    lifetime.whenOver(partDone);
    serve(req, res, requestId, lifetime).then(partDone, (error: unknown) => {
      logger.error(`mqs: request ${requestId}: could not answer: ${String(error)}`);
      partDone();
    });
  }

  function handleCheckContinue(req: IncomingMessage, res: ServerResponse): void {
    const declared = req.headers['content-length'];
    if (declared === undefined || !(Number(declared) > maxBodyBytes)) res.writeContinue();
    handle(req, res);
  }

  function drain(): Promise<void> {
    state.isStopping = true;
    for (const controller of state.pollers) controller.abort();
    state.pollers.clear();
    // A body still arriving is not waited for: its request is answered 503 (and its connection closed).
    for (const cancel of [...state.bodyReads]) cancel(SqsErrors.serviceUnavailable());
    if (inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      onIdle = resolve;
    });
  }

  return {
    handle,
    handleCheckContinue,
    drain,
    get inFlightCount() {
      return inFlight;
    },
  };
}
