/**
 * @module protocol/auth/sigv4-verifier.test: requests signed by the AWS SDK's own signer (`@smithy/signature-v4`, header
 * and presigned forms) pass; every way of getting it wrong is answered with AWS's code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { SqsError } from '../sqs-error.ts';
import type { WireRequest } from '../wire-protocol.ts';
import { parseAccessKeys } from './access-keys.ts';
import { createSigV4Verifier } from './sigv4-verifier.ts';
import { uriEncode } from './sigv4.ts';

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEYS = parseAccessKeys('AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\nlocal secret-2\n');
const verify = createSigV4Verifier({ keys: KEYS, clock: { now: () => NOW_MS } });

/** The SDK's own SHA-256 (what its clients give the signer). */
const SHA256 = Hash.bind(null, 'sha256');

function signer(accessKeyId = 'AKIDEXAMPLE', secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', service = 'sqs') {
  return new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region: 'eu-west-1', service, sha256: SHA256 });
}

interface Unsigned {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

const FORM: Unsigned = {
  method: 'POST',
  path: '/',
  query: {},
  headers: {
    host: '127.0.0.1:9324',
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  },
  body: 'Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%3A9324%2F000000000000%2Fq&MessageBody=h%C3%A9llo',
};

/** The signed request as the server's edge sees it (lower-case headers, raw query string, body bytes). */
function toWire(signed: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> }, body: string): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const query = Object.entries(signed.query ?? {})
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(String(value))}`)
    .join('&');
  return {
    method: signed.method,
    path: signed.path,
    query,
    headers,
    pathQueueUrl: undefined,
    requestId: 'r',
    body: Buffer.from(body, 'utf8'),
  };
}

async function signed(request: Unsigned = FORM, options: { at?: number; with?: SignatureV4 } = {}): Promise<WireRequest> {
  const out = await (options.with ?? signer()).sign(
    { ...request, protocol: 'http:', hostname: '127.0.0.1', port: 9324, headers: { ...request.headers } },
    { signingDate: new Date(options.at ?? NOW_MS) },
  );
  return toWire(out as unknown as Unsigned, request.body);
}

async function presigned(request: Unsigned, options: { at?: number; expiresIn?: number } = {}): Promise<WireRequest> {
  const out = await signer().presign(
    { ...request, protocol: 'http:', hostname: '127.0.0.1', port: 9324, headers: { ...request.headers } },
    { signingDate: new Date(options.at ?? NOW_MS), expiresIn: options.expiresIn ?? 300 },
  );
  return toWire(out as unknown as Unsigned, request.body);
}

function assertRejected(request: WireRequest, queryCode: string, status: number, message?: RegExp): void {
  assert.throws(
    () => verify(request),
    (error: unknown) => {
      assert.ok(error instanceof SqsError, String(error));
      assert.equal(error.queryCode, queryCode, error.message);
      assert.equal(error.httpStatus, status);
      assert.equal(error.senderFault, true);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

describe('createSigV4Verifier', () => {
  it('accepts a form POST signed by the SDK signer in the Authorization header', async () => {
    const request = await signed();
    assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260101\/eu-west-1\/sqs\/aws4_request/);
    assert.doesNotThrow(() => verify(request));
  });

  it('accepts a GET query request signed in the header and one presigned in the query string', async () => {
    const get: Unsigned = {
      method: 'GET',
      path: '/000000000000/orders',
      query: { Action: 'ReceiveMessage', 'AttributeName.1': 'All', QueueUrl: 'http://127.0.0.1:9324/000000000000/orders' },
      headers: { host: '127.0.0.1:9324' },
      body: '',
    };
    const ok1 = await signed(get);
    assert.doesNotThrow(() => verify(ok1));
    const url = await presigned(get);
    assert.match(url.query, /X-Amz-Signature=[0-9a-f]{64}/);
    assert.equal(url.headers.authorization, undefined);
    assert.doesNotThrow(() => verify(url));
  });

  it('accepts JSON requests, and UNSIGNED-PAYLOAD when the signer declares it', async () => {
    const json: Unsigned = {
      method: 'POST',
      path: '/',
      query: {},
      headers: { host: '127.0.0.1:9324', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    };
    const ok2 = await signed(json);
    assert.doesNotThrow(() => verify(ok2));
    const unsigned = await signed({ ...json, headers: { ...json.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    assert.doesNotThrow(() => verify(unsigned));
  });

  it('accepts any of the configured keys', async () => {
    const ok3 = await signed(FORM, { with: signer('local', 'secret-2') });
    assert.doesNotThrow(() => verify(ok3));
  });

  it('answers InvalidClientTokenId (403) for an unknown access key', async () => {
    assertRejected(await signed(FORM, { with: signer('NOBODY', 'x') }), 'InvalidClientTokenId', 403, /security token included in the request is invalid/);
  });

  it('answers SignatureDoesNotMatch (403) for a wrong secret, a changed body, header or path', async () => {
    assertRejected(await signed(FORM, { with: signer('AKIDEXAMPLE', 'wrong') }), 'SignatureDoesNotMatch', 403, /does not match the signature you provided/);
    const request = await signed();
    assertRejected({ ...request, body: Buffer.from(`${FORM.body}x`) }, 'SignatureDoesNotMatch', 403);
    assertRejected({ ...request, headers: { ...request.headers, 'content-type': 'text/plain' } }, 'SignatureDoesNotMatch', 403);
    assertRejected({ ...request, path: '/000000000000/q' }, 'SignatureDoesNotMatch', 403);
    const noHost = { ...request.headers };
    delete noHost.host;
    assertRejected({ ...request, headers: noHost }, 'SignatureDoesNotMatch', 403);
  });

  it('answers SignatureDoesNotMatch when x-amz-content-sha256 does not hash the body', async () => {
    const request = await signed({ ...FORM, headers: { ...FORM.headers, 'x-amz-content-sha256': 'a'.repeat(64) } });
    assertRejected(request, 'SignatureDoesNotMatch', 403, /x-amz-content-sha256/);
  });

  it('answers SignatureDoesNotMatch "Signature expired" more than 15 minutes late, as SQS words it', async () => {
    const request = await signed(FORM, { at: NOW_MS - 15 * 60_000 - 1_000 });
    assertRejected(
      request,
      'SignatureDoesNotMatch',
      403,
      /^Signature expired: 20260101T114459Z is now earlier than 20260101T114500Z \(20260101T120000Z - 15 min\.\)$/,
    );
    const ok4 = await signed(FORM, { at: NOW_MS - 14 * 60_000 });
    assert.doesNotThrow(() => verify(ok4));
  });

  it('answers SignatureDoesNotMatch "not yet current" more than 15 minutes early', async () => {
    assertRejected(await signed(FORM, { at: NOW_MS + 16 * 60_000 }), 'SignatureDoesNotMatch', 403, /^Signature not yet current: 20260101T121600Z/);
    const ok5 = await signed(FORM, { at: NOW_MS + 14 * 60_000 });
    assert.doesNotThrow(() => verify(ok5));
  });

  it('lets a presigned request live for X-Amz-Expires, not longer', async () => {
    const get: Unsigned = { method: 'GET', path: '/', query: { Action: 'ListQueues' }, headers: { host: '127.0.0.1:9324' }, body: '' };
    const ok6 = await presigned(get, { at: NOW_MS - 3_000_000, expiresIn: 3600 });
    assert.doesNotThrow(() => verify(ok6));
    assertRejected(await presigned(get, { at: NOW_MS - 301_000, expiresIn: 300 }), 'SignatureDoesNotMatch', 403, /Signature expired/);
  });

  it('answers MissingAuthenticationToken (403) when nothing is signed, InvalidSecurity for SigV2', async () => {
    const request = await signed();
    const bare = { ...request.headers };
    delete bare.authorization;
    assertRejected({ ...request, headers: bare }, 'MissingAuthenticationToken', 403);
    assertRejected({ ...request, headers: { ...bare, authorization: 'AWS AKIDEXAMPLE:abc' } }, 'InvalidSecurity', 403);
    assertRejected(
      { ...request, headers: bare, query: 'Action=ListQueues&AWSAccessKeyId=AKIDEXAMPLE&SignatureVersion=2&Signature=x' },
      'InvalidSecurity',
      403,
    );
  });

  it('answers IncompleteSignature for a malformed Authorization header or credential', async () => {
    const request = await signed();
    const auth = String(request.headers.authorization);
    assertRejected({ ...request, headers: { ...request.headers, authorization: auth.replace(/, Signature=.*$/, '') } }, 'IncompleteSignature', 400, /Signature/);
    assertRejected(
      { ...request, headers: { ...request.headers, authorization: auth.replace('Credential=AKIDEXAMPLE/', 'Credential=AKIDEXAMPLE/x/') } },
      'IncompleteSignature',
      400,
      /5 slash-delimited/,
    );
  });

  it('answers SignatureDoesNotMatch for a scope of another service or date', async () => {
    assertRejected(await signed(FORM, { with: signer('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'sns') }), 'SignatureDoesNotMatch', 403, /service: 'sqs'/);
    const request = await signed();
    const auth = String(request.headers.authorization).replace('/20260101/', '/20251231/');
    assertRejected({ ...request, headers: { ...request.headers, authorization: auth } }, 'SignatureDoesNotMatch', 403, /Date in Credential scope/);
  });
});
