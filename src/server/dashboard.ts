/**
 * @module server/dashboard: the dashboard on the SQS port: the page at `GET /` (browsers only), its static files under
 * `/_admin/ui/`, uPlot from node_modules (no CDN: it works offline), and the read-only `/_admin/*` API of queues and,
 * once a local Lambda runtime is attached, of functions and logs.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../engine/index.ts';
import {
  AdminHttpError,
  type AdminRequest,
  type AdminRouteHandler,
  adminSegments,
  createAdminRoutes,
  QUEUE_ACTIVITY_DEFAULTS,
  QueueActivity,
  type QueueUrls,
  sendAdminError,
  sendJson,
} from '../protocol/index.ts';
import { type DashboardRuntime, RuntimeMonitor, sendRuntimeRouteError, serveRuntimeRoute } from './dashboard-runtime.ts';

/** The shipped UI files (`dashboard/` at the package root). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));
/** Where the page loads its files from. */
export const DASHBOARD_ASSET_PREFIX = '/_admin/ui/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};
/** A file name the UI may ask for: no directories, no dot files, so nothing outside the folder can be named. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg|png|json)$/;

/** The third-party files the page loads, by the name it asks for (none when the package is missing: those are 404s). */
function vendorFiles(): Readonly<Record<string, string>> {
  let uplotDist: string;
  try {
    uplotDist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));
  } catch {
    return {};
  }
  return { 'uplot.esm.js': join(uplotDist, 'uPlot.esm.js'), 'uplot.min.css': join(uplotDist, 'uPlot.min.css') };
}

/** Everything the page and its scripts may load: this origin only (no CDN), inline styles for uPlot's sizing. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface DashboardOptions {
  readonly engine: Engine;
  readonly queueUrls: QueueUrls;
  /**
   * Answer only clients on this machine. The admin API shows message bodies without credentials, so a server that
   * requires signatures (`--auth`) keeps it to loopback.
   */
  readonly isLoopbackOnly?: boolean;
  /** Shown in the page header. */
  readonly info: { readonly region: string; readonly accountId: string; readonly endpoint: string; readonly storage: string };
  /** Sample interval and samples kept (default one a second, ten minutes). */
  readonly sampleIntervalMs?: number;
  readonly historySamples?: number;
}

/** The dashboard of one server. */
export interface Dashboard {
  /** The `/_admin/*` handler for `createHttpApp`. */
  readonly adminRoutes: AdminRouteHandler;
  /** The `GET /` page handler for `createHttpApp`. */
  readonly page: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /**
   * Shows a local Lambda runtime's functions, mappings and logs (`mqs start` passes its `Runtime`). Returns the
   * function that detaches it again; attaching another one replaces it.
   */
  attachRuntime(runtime: DashboardRuntime): () => void;
  /** Whether a runtime is attached now. */
  readonly hasRuntime: boolean;
  /** Stops sampling and detaches the runtime. Idempotent. */
  stop(): void;
}

/** Serves one file of `files` (name → path), or a 404. */
async function sendFile(res: ServerResponse, path: string | undefined, method: string): Promise<void> {
  if (path === undefined) throw AdminHttpError.notFound('The file');
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    throw AdminHttpError.notFound('The file');
  }
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    // Short: a newer package version shows up on the next load.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * Creates the dashboard of a server: starts sampling queue depth and rates once a second (a timer that does not keep
 * the process alive) and counts the engine's send / receive / delete operations.
 * @throws RangeError for a non-positive sample interval or history size.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const intervalMs = options.sampleIntervalMs ?? QUEUE_ACTIVITY_DEFAULTS.sampleIntervalMs;
  const historySamples = options.historySamples ?? QUEUE_ACTIVITY_DEFAULTS.historySamples;
  const activity = new QueueActivity(options.engine, { sampleIntervalMs: intervalMs, historySamples });
  const queueRoutes = createAdminRoutes({ engine: options.engine, activity, queueUrls: options.queueUrls });
  let vendor: Readonly<Record<string, string>> | undefined;
  let monitor: RuntimeMonitor | undefined;
  const startedAt = Date.now();

  activity.start();
  const runtimeTimer = setInterval(() => {
    try {
      monitor?.sample();
    } catch {
      // A runtime that stopped keeps its last counters; nothing to sample.
    }
  }, intervalMs);
  runtimeTimer.unref();

  function isAllowed(req: IncomingMessage): boolean {
    return options.isLoopbackOnly !== true || LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '');
  }

  async function adminRoutes(req: IncomingMessage, res: ServerResponse, request: AdminRequest): Promise<void> {
    const method = req.method ?? 'GET';
    try {
      if (!isAllowed(req)) throw new AdminHttpError(403, 'Forbidden', 'The dashboard answers only on this machine when the server requires signatures.');
      const segments = adminSegments(request.path);
      const first = segments[0];
      if (first === 'ui') {
        if (method !== 'GET' && method !== 'HEAD') throw AdminHttpError.methodNotAllowed(method, 'GET');
        const name = segments.slice(1).join('/');
        if (segments[1] === 'vendor' && segments.length === 3) return await sendFile(res, (vendor ??= vendorFiles())[segments[2]!], method);
        return await sendFile(res, segments.length === 2 && ASSET_NAME.test(name) ? join(DASHBOARD_DIR, name) : undefined, method);
      }
      if (first === undefined || first === 'info') {
        if (method !== 'GET' && method !== 'HEAD') throw AdminHttpError.methodNotAllowed(method, 'GET');
        return sendJson(res, 200, {
          now: Date.now(),
          startedAt,
          ...options.info,
          hasRuntime: monitor !== undefined,
          sampleIntervalMs: intervalMs,
          routes: ['/_admin/info', '/_admin/queues', '/_admin/queues/<name>', '/_admin/queues/<name>/history', '/_admin/functions', '/_admin/functions/<name>/history', '/_admin/functions/<name>/streams', '/_admin/logs'],
        });
      }
      if (first === 'functions' || first === 'logs') {
        try {
          return serveRuntimeRoute(req, res, request.path, request.query, monitor);
        } catch (error) {
          return sendRuntimeRouteError(res, error);
        }
      }
      return await queueRoutes(req, res, request);
    } catch (error) {
      if (error instanceof AdminHttpError) return sendAdminError(res, error, request.requestId);
      throw error;
    }
  }

  async function page(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowed(req)) {
      return sendAdminError(res, new AdminHttpError(403, 'Forbidden', 'The dashboard answers only on this machine when the server requires signatures.'));
    }
    try {
      await sendFile(res, join(DASHBOARD_DIR, 'index.html'), req.method ?? 'GET');
    } catch (error) {
      if (error instanceof AdminHttpError) return sendAdminError(res, error);
      throw error;
    }
  }

  return {
    adminRoutes,
    page,
    attachRuntime(runtime: DashboardRuntime): () => void {
      monitor?.detach();
      const attached = new RuntimeMonitor(runtime, historySamples);
      attached.sample();
      monitor = attached;
      return () => {
        attached.detach();
        if (monitor === attached) monitor = undefined;
      };
    },
    get hasRuntime() {
      return monitor !== undefined;
    },
    stop(): void {
      activity.stop();
      clearInterval(runtimeTimer);
      monitor?.detach();
      monitor = undefined;
    },
  };
}
