/**
 * @module protocol/auth/sigv4-verifier: checks that a request carries a valid SigV4 signature (`Authorization` header
 * or the presigned `X-Amz-Signature` query form) for one of the configured access keys, within AWS's 15-minute clock
 * skew. Used when the server runs with `--auth FILE`; without it any credentials pass, as local SQS tools do.
 */
import { timingSafeEqual } from 'node:crypto';
import type { WireRequest } from '../wire-protocol.ts';
import type { AccessKeys } from './access-keys.ts';
import { AuthErrors } from './auth-errors.ts';
import {
  amzDateOf,
  canonicalRequest,
  parseAmzDate,
  SIGV4_ALGORITHM,
  SIGV4_TERMINATOR,
  sha256Hex,
  signatureOf,
  signingKey,
  stringToSign,
  UNSIGNED_PAYLOAD,
} from './sigv4.ts';

/** AWS accepts request times up to 15 minutes from its own, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The longest a presigned request may stay valid (SigV4: one week). */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800;
/** The service name in the credential scope. */
export const SQS_SIGNING_SERVICE = 'sqs';

const HEADER_PREFIX = `${SIGV4_ALGORITHM} `;
const SIGNATURE_HEX = /^[0-9a-f]{64}$/;
const MAX_CACHED_KEYS = 256;

/** Checks one request; throws the SqsError to answer with. */
export type RequestAuthenticator = (request: WireRequest) => void;

/** What the verifier needs: the key pairs and wall-clock time (a client's clock is compared with it). */
export interface SigV4VerifierOptions {
  readonly keys: AccessKeys;
  readonly clock: { now(): number };
}

/** The signature elements of a request, whichever form carried them. */
interface SignedParts {
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string;
  /** Presigned form only. */
  expiresSeconds?: number;
  isPresigned: boolean;
}

function fieldsOfAuthorization(value: string): SignedParts {
  const fields = new Map<string, string>();
  for (const part of value.slice(HEADER_PREFIX.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  for (const [name, found] of [
    ['Credential', credential],
    ['SignedHeaders', signedHeaders],
    ['Signature', signature],
  ] as const) {
    if (found === undefined || found === '') {
      throw AuthErrors.incompleteSignature(
        `Authorization header requires '${name}' parameter. Authorization=${value.slice(0, 200)}`,
      );
    }
  }
  return { credential: credential!, signedHeaders: signedHeaders!, signature: signature!, amzDate: '', isPresigned: false };
}

function singleHeader(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
}

/** Finds the signature in the header or the query string. @throws SqsError when there is none, or not SigV4. */
function signedPartsOf(request: WireRequest): SignedParts {
  const authorization = singleHeader(request, 'authorization');
  if (authorization !== undefined) {
    if (!authorization.startsWith(HEADER_PREFIX)) {
      throw AuthErrors.invalidSecurity(`an Authorization header of scheme "${authorization.split(' ', 1)[0]}"`);
    }
    const parts = fieldsOfAuthorization(authorization);
    const amzDate = singleHeader(request, 'x-amz-date');
    if (amzDate !== undefined) parts.amzDate = amzDate;
    else {
      // SigV4 allows the Date header instead of X-Amz-Date.
      const date = singleHeader(request, 'date');
      const ms = date === undefined ? Number.NaN : Date.parse(date);
      if (Number.isNaN(ms)) {
        throw AuthErrors.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
      }
      parts.amzDate = amzDateOf(ms);
    }
    return parts;
  }
  if (request.query.includes('X-Amz-')) {
    const params = new URLSearchParams(request.query);
    const algorithm = params.get('X-Amz-Algorithm');
    if (algorithm !== null || params.has('X-Amz-Signature')) {
      if (algorithm !== SIGV4_ALGORITHM) throw AuthErrors.invalidSecurity(`X-Amz-Algorithm ${algorithm ?? '(none)'}`);
      const parts: SignedParts = {
        credential: params.get('X-Amz-Credential') ?? '',
        signedHeaders: params.get('X-Amz-SignedHeaders') ?? '',
        signature: params.get('X-Amz-Signature') ?? '',
        amzDate: params.get('X-Amz-Date') ?? '',
        isPresigned: true,
      };
      for (const [name, value] of [
        ['X-Amz-Credential', parts.credential],
        ['X-Amz-SignedHeaders', parts.signedHeaders],
        ['X-Amz-Signature', parts.signature],
        ['X-Amz-Date', parts.amzDate],
      ] as const) {
        if (value === '') throw AuthErrors.incompleteSignature(`AWS query-string parameters must include '${name}'.`);
      }
      const expires = params.get('X-Amz-Expires');
      if (expires !== null) {
        const seconds = /^\d{1,7}$/.test(expires) ? Number(expires) : Number.NaN;
        if (!(seconds >= 1 && seconds <= MAX_PRESIGN_EXPIRES_SECONDS)) {
          throw AuthErrors.incompleteSignature(
            `X-Amz-Expires must be a number of seconds from 1 to ${MAX_PRESIGN_EXPIRES_SECONDS} (got ${expires}).`,
          );
        }
        parts.expiresSeconds = seconds;
      }
      return parts;
    }
  }
  // SigV2 query signing (`SignatureVersion=2&Signature=…&AWSAccessKeyId=…`) is long retired.
  if (/(^|&)Signature=/.test(request.query) || /(^|&)AWSAccessKeyId=/.test(request.query)) {
    throw AuthErrors.invalidSecurity('a Signature Version 2 query string');
  }
  throw AuthErrors.missingAuthenticationToken();
}

/** The request time must be within 15 minutes of now; a presigned request additionally expires after X-Amz-Expires. */
function checkTime(requestMs: number, parts: SignedParts, nowMs: number): void {
  const now = amzDateOf(nowMs);
  if (requestMs > nowMs + MAX_CLOCK_SKEW_MS) {
    throw AuthErrors.signatureNotYetCurrent(parts.amzDate, amzDateOf(nowMs + MAX_CLOCK_SKEW_MS), now);
  }
  if (parts.isPresigned) {
    const expiresMs = (parts.expiresSeconds ?? MAX_CLOCK_SKEW_MS / 1000) * 1000;
    if (nowMs > requestMs + expiresMs) {
      throw AuthErrors.signatureDoesNotMatch(
        `Signature expired: ${amzDateOf(requestMs + expiresMs)} is now earlier than ${now} (X-Amz-Date ${parts.amzDate} + X-Amz-Expires ${expiresMs / 1000} s).`,
      );
    }
    return;
  }
  if (requestMs < nowMs - MAX_CLOCK_SKEW_MS) {
    throw AuthErrors.signatureExpired(parts.amzDate, amzDateOf(nowMs - MAX_CLOCK_SKEW_MS), now);
  }
}

function isSameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Builds the authenticator for `--auth`. It checks, in this order: a SigV4 signature is present (else
 * MissingAuthenticationToken, or InvalidSecurity for SigV2); the credential scope is `<key>/<date>/<region>/sqs/
 * aws4_request` (else IncompleteSignature / SignatureDoesNotMatch); the key is known (else InvalidClientTokenId); the
 * request time is within 15 minutes (else SignatureDoesNotMatch "Signature expired" / "not yet current", as SQS
 * answers); the signature matches (else SignatureDoesNotMatch). Any region is accepted: the signature covers it.
 */
export function createSigV4Verifier(options: SigV4VerifierOptions): RequestAuthenticator {
  const { keys, clock } = options;
  // Signing keys change once a day per key and region: derive each once.
  const keyCache = new Map<string, Buffer>();

  function cachedSigningKey(accessKeyId: string, secret: string, date: string, region: string): Buffer {
    const cacheKey = `${accessKeyId}/${date}/${region}`;
    let key = keyCache.get(cacheKey);
    if (key === undefined) {
      if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
      key = signingKey(secret, date, region, SQS_SIGNING_SERVICE);
      keyCache.set(cacheKey, key);
    }
    return key;
  }

  return (request: WireRequest): void => {
    const parts = signedPartsOf(request);
    const scope = parts.credential.split('/');
    if (scope.length !== 5 || scope.some((field) => field === '')) {
      throw AuthErrors.incompleteSignature(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.credential.slice(0, 200)}'`,
      );
    }
    const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
    const secret = keys.get(accessKeyId);
    if (secret === undefined) throw AuthErrors.invalidClientTokenId();
    const requestMs = parseAmzDate(parts.amzDate);
    if (requestMs === undefined) {
      throw AuthErrors.incompleteSignature(`X-Amz-Date must be in the ISO8601 basic format YYYYMMDD'T'HHMMSS'Z', got '${parts.amzDate.slice(0, 40)}'.`);
    }
    if (date !== parts.amzDate.slice(0, 8)) {
      throw AuthErrors.signatureDoesNotMatch(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${parts.amzDate.slice(0, 8)}', from '${parts.amzDate}'.`,
      );
    }
    if (service !== SQS_SIGNING_SERVICE) {
      throw AuthErrors.signatureDoesNotMatch(`Credential should be scoped to correct service: '${SQS_SIGNING_SERVICE}'.`);
    }
    if (terminator !== SIGV4_TERMINATOR) {
      throw AuthErrors.signatureDoesNotMatch(
        `Credential should be scoped with a valid terminator: '${SIGV4_TERMINATOR}', not '${terminator}'.`,
      );
    }
    checkTime(requestMs, parts, clock.now());
    const given = parts.signature.toLowerCase();
    if (!SIGNATURE_HEX.test(given)) throw AuthErrors.signatureDoesNotMatch();

    // The payload hash the signer used: its x-amz-content-sha256 header when sent (checked against the body), else the
    // body's hash. A presigned URL cannot say, so both of the SDKs' choices are tried.
    const bodyHash = sha256Hex(request.body);
    let payloadHashes: readonly string[];
    const declared = singleHeader(request, 'x-amz-content-sha256');
    if (declared !== undefined && declared !== UNSIGNED_PAYLOAD && declared.toLowerCase() !== bodyHash) {
      throw AuthErrors.signatureDoesNotMatch('The provided x-amz-content-sha256 header does not match what was computed.');
    }
    if (declared !== undefined) payloadHashes = [declared];
    else payloadHashes = parts.isPresigned ? [bodyHash, UNSIGNED_PAYLOAD] : [bodyHash];

    const signedHeaders = parts.signedHeaders.split(';').map((name) => name.trim().toLowerCase());
    const key = cachedSigningKey(accessKeyId, secret, date, region);
    const credentialScope = `${date}/${region}/${service}/${terminator}`;
    for (const payloadHash of payloadHashes) {
      const canonical = canonicalRequest({
        method: request.method,
        rawPath: request.path,
        rawQuery: request.query,
        signedHeaders,
        headerValue: (name) => request.headers[name],
        payloadHash,
      });
      if (canonical === undefined) break;
      if (isSameSignature(signatureOf(key, stringToSign(parts.amzDate, credentialScope, canonical)), given)) return;
    }
    throw AuthErrors.signatureDoesNotMatch();
  };
}
