/** @module protocol/admin-http: JSON answers and errors of the read-only `/_admin/*` API. */
import type { ServerResponse } from 'node:http';

/** A client error of the admin API (bad path, method or parameter), answered as `{ error: { code, message } }`. */
export class AdminHttpError extends Error {
  override readonly name = 'AdminHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers the answer carries besides the JSON ones (a 405's `Allow`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  static notFound(what: string): AdminHttpError {
    return new AdminHttpError(404, 'NotFound', `${what} was not found.`);
  }

  static methodNotAllowed(method: string, allowed: string): AdminHttpError {
    return new AdminHttpError(405, 'MethodNotAllowed', `Method ${method} is not allowed here; use ${allowed}.`, { allow: allowed === 'GET' ? 'GET, HEAD' : allowed });
  }

  static badParameter(name: string, reason: string): AdminHttpError {
    return new AdminHttpError(400, 'InvalidParameter', `Parameter ${name}: ${reason}`);
  }

  static unavailable(reason: string): AdminHttpError {
    return new AdminHttpError(503, 'Unavailable', reason);
  }
}

/** Writes a JSON answer that no cache keeps (the dashboard polls it). */
export function sendJson(res: ServerResponse, status: number, value: unknown, requestId?: string, extraHeaders: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const headers: Record<string, string | number> = {
    ...extraHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (requestId !== undefined) headers['x-amzn-RequestId'] = requestId;
  res.writeHead(status, headers);
  res.end(body);
}

/** Writes an {@link AdminHttpError}. */
export function sendAdminError(res: ServerResponse, error: AdminHttpError, requestId?: string): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, requestId, error.headers);
}

/**
 * Reads an optional integer query parameter.
 * @throws AdminHttpError 400 when it is present but not an integer in `[min, max]`.
 */
export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name);
  if (text === null || text === '') return fallback;
  // Plain decimal digits only: Number() would also take 1e2 and 0x10.
  const value = /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw AdminHttpError.badParameter(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
}

/**
 * Reads an optional number query parameter (e.g. a time in ms).
 * @throws AdminHttpError 400 when it is present but not a finite number.
 */
export function numberParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw AdminHttpError.badParameter(name, `must be a number, got ${JSON.stringify(text)}.`);
  return value;
}

/**
 * Splits `/_admin/a/b` into decoded segments after `/_admin` (`['a', 'b']`).
 * @throws AdminHttpError 400 when a segment is not valid percent-encoding.
 */
export function adminSegments(path: string): string[] {
  const rest = path.slice('/_admin'.length);
  const parts = rest.split('/').filter((part) => part.length > 0);
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    throw AdminHttpError.badParameter('path', 'is not valid percent-encoding.');
  }
}
