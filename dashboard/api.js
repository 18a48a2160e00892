/**
 * @module dashboard/api: what the page reads (the read-only `/_admin/*` API of the server) and the one thing it asks
 * of SQS (StartMessageMoveTask, over the ordinary AWS JSON protocol). It never calls ReceiveMessage: that would lock
 * FIFO groups and count as a receive.
 */

/** An answer other than 2xx, with the server's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

async function readError(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const code = body?.error?.code ?? body?.__type?.split('#').pop() ?? String(res.status);
  const message = body?.error?.message ?? body?.message ?? body?.Message ?? res.statusText;
  return new ApiError(res.status, code, message);
}

/** GET `/_admin/<path>` as JSON. @throws ApiError for a non-2xx answer, TypeError when the server is unreachable. */
export async function admin(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  const text = query.toString();
  const res = await fetch(`/_admin/${path}${text ? `?${text}` : ''}`, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!res.ok) throw await readError(res);
  return res.json();
}

/** Path segment of a queue or function name. */
export const seg = (name) => encodeURIComponent(name);

/**
 * Calls an SQS operation over AWS JSON 1.0 on this same endpoint, as any SDK would (unsigned: a server started with
 * `--auth` refuses it, and says so).
 * @throws ApiError with the SQS error code.
 */
export async function sqs(operation, input) {
  const res = await fetch('/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${operation}` },
    body: JSON.stringify(input),
  });
  if (!res.ok) throw await readError(res);
  return res.json();
}
