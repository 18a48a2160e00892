/** @module test/fuzz/raw-client: byte-exact POSTs over keep-alive node:http, for requests no SDK would send. */
import { Agent, request } from 'node:http';

/** Bound on one request; a hang is a failure, not a wait. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Chunk size when a body is streamed with chunked transfer encoding. */
const CHUNK_BYTES = 64 * 1024;

/** A request exactly as it goes on the wire (header names lower-case). */
export interface RawRequest {
  headers: Record<string, string>;
  body: Buffer;
  /** Send the body with `Transfer-Encoding: chunked` instead of a `Content-Length`. */
  isChunked?: boolean;
}

/** The full answer. */
export interface RawReply {
  status: number;
  /** Header names lower-case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** Keep-alive POSTs to one server. */
export interface RawClient {
  post(req: RawRequest): Promise<RawReply>;
  close(): void;
}

/**
 * A client that POSTs to `${baseUrl}/` over a keep-alive agent (`maxSockets` parallel connections).
 * `post` rejects on a network error, a timeout, or the connection closing before a full answer.
 */
export function createRawClient(baseUrl: string, maxSockets = 16): RawClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const url = new URL('/', baseUrl);
  return {
    post(req: RawRequest): Promise<RawReply> {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { ...req.headers };
        if (req.isChunked !== true) headers['content-length'] = req.body.length;
        let hasAnswer = false;
        const outgoing = request(url, { method: 'POST', agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
          hasAnswer = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status: res.statusCode ?? 0, headers: flat, text: Buffer.concat(chunks).toString('utf8') });
          });
        });
        outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
        outgoing.on('error', (error) => {
          // A server that answers early (413) and closes may reset the socket while we still write; the answer counts.
          if (!hasAnswer) reject(error);
        });
        if (req.isChunked === true) {
          for (let at = 0; at < req.body.length; at += CHUNK_BYTES) {
            if (outgoing.destroyed) break;
            outgoing.write(req.body.subarray(at, at + CHUNK_BYTES));
          }
          outgoing.end();
        } else {
          outgoing.end(req.body);
        }
      });
    },
    close() {
      agent.destroy();
    },
  };
}
