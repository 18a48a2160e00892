/**
 * @module protocol/auth/sigv4.test: the SigV4 building blocks against published vectors — the AWS SigV4 test suite's
 * get-vanilla, get-vanilla-query-order-key-case and post-x-www-form-urlencoded cases, and the IAM ListUsers example of
 * the SigV4 documentation (canonical request hash, signing key, signature).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  amzDateOf,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  parseAmzDate,
  sha256Hex,
  signatureOf,
  signingKey,
  stringToSign,
  uriEncode,
} from './sigv4.ts';

/** The test suite's credentials (AKIDEXAMPLE). */
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AMZ_DATE = '20150830T123600Z';

function sign(method: string, path: string, query: string, headers: Record<string, string>, body: string, service: string) {
  const canonical = canonicalRequest({
    method,
    rawPath: path,
    rawQuery: query,
    signedHeaders: Object.keys(headers).sort(),
    headerValue: (name) => headers[name],
    payloadHash: sha256Hex(body),
  });
  assert.ok(canonical !== undefined);
  const toSign = stringToSign(AMZ_DATE, `20150830/us-east-1/${service}/aws4_request`, canonical);
  return { canonical, signature: signatureOf(signingKey(SECRET, '20150830', 'us-east-1', service), toSign) };
}

describe('SigV4 test-suite vectors', () => {
  it('get-vanilla', () => {
    const { canonical, signature } = sign('GET', '/', '', { host: 'example.amazonaws.com', 'x-amz-date': AMZ_DATE }, '', 'service');
    assert.equal(
      canonical,
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it('get-vanilla-query-order-key-case (parameters sorted by name)', () => {
    const { canonical, signature } = sign(
      'GET',
      '/',
      'Param2=value2&Param1=value1',
      { host: 'example.amazonaws.com', 'x-amz-date': AMZ_DATE },
      '',
      'service',
    );
    assert.equal(canonical.split('\n')[2], 'Param1=value1&Param2=value2');
    assert.equal(signature, 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('post-x-www-form-urlencoded (the body hash is signed)', () => {
    const { signature } = sign(
      'POST',
      '/',
      '',
      { 'content-type': 'application/x-www-form-urlencoded', host: 'example.amazonaws.com', 'x-amz-date': AMZ_DATE },
      'Param1=value1',
      'service',
    );
    assert.equal(signature, 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a');
  });

  it('the documentation example: IAM ListUsers over GET', () => {
    const { canonical, signature } = sign(
      'GET',
      '/',
      'Action=ListUsers&Version=2010-05-08',
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: 'iam.amazonaws.com', 'x-amz-date': AMZ_DATE },
      '',
      'iam',
    );
    assert.equal(sha256Hex(canonical), 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    assert.equal(
      signingKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex'),
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
    assert.equal(signature, '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });
});

describe('SigV4 canonical forms', () => {
  it('URI-encodes with RFC 3986 unreserved characters only, upper-case hex', () => {
    assert.equal(uriEncode("a-b_c.d~e f/g+h=i&j*k!l'm(n)ö"), "a-b_c.d~e%20f%2Fg%2Bh%3Di%26j%2Ak%21l%27m%28n%29%C3%B6");
  });

  it('normalises the path and encodes each segment again', () => {
    assert.equal(canonicalUri('/'), '/');
    assert.equal(canonicalUri(''), '/');
    assert.equal(canonicalUri('/000000000000/orders.fifo'), '/000000000000/orders.fifo');
    assert.equal(canonicalUri('/a/./b/../c//d/'), '/a/c/d/');
    assert.equal(canonicalUri('/a%20b'), '/a%2520b');
  });

  it('sorts query parameters by name then value, re-encodes them and leaves out X-Amz-Signature', () => {
    assert.equal(
      canonicalQueryString('b=2&a=z&a=y&c&X-Amz-Signature=abc&d=%7E%20x+y'),
      'a=y&a=z&b=2&c=&d=~%20x%2By',
    );
    assert.equal(canonicalQueryString(''), '');
  });

  it('trims header values and collapses inner whitespace', () => {
    const canonical = canonicalRequest({
      method: 'POST',
      rawPath: '/',
      rawQuery: '',
      signedHeaders: ['host', 'my-header'],
      headerValue: (name) => (name === 'host' ? 'h' : '  a   b \t c  '),
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    assert.equal(canonical, 'POST\n/\n\nhost:h\nmy-header:a b c\n\nhost;my-header\nUNSIGNED-PAYLOAD');
  });

  it('cannot build a canonical request when a signed header is missing', () => {
    const canonical = canonicalRequest({
      method: 'GET',
      rawPath: '/',
      rawQuery: '',
      signedHeaders: ['host', 'x-amz-date'],
      headerValue: (name) => (name === 'host' ? 'h' : undefined),
      payloadHash: '',
    });
    assert.equal(canonical, undefined);
  });

  it('formats and parses X-Amz-Date', () => {
    assert.equal(amzDateOf(Date.UTC(2015, 7, 30, 12, 36, 0, 999)), AMZ_DATE);
    assert.equal(parseAmzDate(AMZ_DATE), Date.UTC(2015, 7, 30, 12, 36, 0));
    assert.equal(parseAmzDate('2015-08-30T12:36:00Z'), undefined);
  });
});
