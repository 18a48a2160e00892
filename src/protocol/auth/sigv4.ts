/**
 * @module protocol/auth/sigv4: AWS Signature Version 4 — the canonical request, string to sign, signing key and
 * signature, as the SigV4 specification defines them for non-S3 services (path segments normalised and URI-encoded
 * a second time, query parameters sorted, signed headers trimmed). Pure functions over node:crypto; `sigv4-verifier.ts`
 * applies them to requests.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const SIGV4_TERMINATOR = 'aws4_request';

/** RFC 3986 unreserved characters stay; everything else is `%XX` with upper-case hex, UTF-8 bytes. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // Not decodable: sign what was sent (the client must have signed the same bytes).
    return text;
  }
}

/**
 * The canonical URI of a request path as sent on the wire: `.`/`..` and empty segments removed, then every segment
 * URI-encoded again (so `%20` becomes `%2520`), as the AWS SDKs and botocore do for every service but S3.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${rawPath.endsWith('/') ? '/' : ''}`;
}

/**
 * The canonical query string of a raw query string: each name and value decoded, then URI-encoded, pairs sorted by
 * name then value, `X-Amz-Signature` left out (the presigned form signs everything but its own signature).
 */
export function canonicalQueryString(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = uriEncode(percentDecode(eq < 0 ? part : part.slice(0, eq)));
    if (name === 'X-Amz-Signature') continue;
    pairs.push([name, eq < 0 ? '' : uriEncode(percentDecode(part.slice(eq + 1)))]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** Header value as SigV4 signs it: trimmed, inner runs of whitespace collapsed to one space. */
export function canonicalHeaderValue(value: string | readonly string[]): string {
  const text = typeof value === 'string' ? value : value.join(',');
  return text.trim().replace(/\s+/g, ' ');
}

/** What the canonical request is made of. */
export interface CanonicalRequestParts {
  readonly method: string;
  /** The path as sent, without the query string. */
  readonly rawPath: string;
  /** The query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Lower-case signed header names, in the order the signer listed them (sorted). */
  readonly signedHeaders: readonly string[];
  /** The value of each signed header (lower-case names). */
  readonly headerValue: (name: string) => string | readonly string[] | undefined;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string;
}

/** The canonical request; `undefined` when a signed header is absent from the request (it cannot match). */
export function canonicalRequest(parts: CanonicalRequestParts): string | undefined {
  let headers = '';
  for (const name of parts.signedHeaders) {
    const value = parts.headerValue(name);
    if (value === undefined) return undefined;
    headers += `${name}:${canonicalHeaderValue(value)}\n`;
  }
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQueryString(parts.rawQuery),
    headers,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** Hex SHA-256. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>`. */
export function stringToSign(amzDate: string, credentialScope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${credentialScope}\n${sha256Hex(canonical)}`;
}

/** The signing key: HMAC chain over "AWS4"+secret, date (YYYYMMDD), region, service, `aws4_request`. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const dateKey = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const regionKey = createHmac('sha256', dateKey).update(region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(service).digest();
  return createHmac('sha256', serviceKey).update(SIGV4_TERMINATOR).digest();
}

/** Hex HMAC-SHA256 of the string to sign. */
export function signatureOf(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/** `20150830T123600Z` for a time in ms. */
export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `20150830T123600Z`; `undefined` when it is not that format. */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}
