/**
 * @module test/clients/signed-requests: a server started with an auth file (`--auth`) takes only requests SigV4-signed
 * with one of its keys — header or presigned form, either protocol — and answers the rest with AWS's 403 codes in the
 * request's own protocol; without the file, any credentials pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_KEY, OTHER_KEY, useClientServer } from './client-server.ts';
import { postForm, type RawReply, sendHeaderSigned, sendPresigned, tagOf, type UnsignedRequest } from './raw-query.ts';

const QUERY_LIST: (url: string) => UnsignedRequest = (url) => ({
  method: 'POST',
  url: `${url}/`,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=ListQueues&Version=2012-11-05',
});
const JSON_LIST: (url: string) => UnsignedRequest = (url) => ({
  method: 'POST',
  url: `${url}/`,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues', 'x-amzn-query-mode': 'true' },
  body: '{}',
});

function assertXmlError(reply: RawReply, code: string, message?: RegExp): void {
  assert.equal(reply.status, 403, reply.text);
  assert.equal(reply.headers.get('content-type'), 'text/xml');
  assert.equal(tagOf(reply.text, 'Type'), 'Sender');
  assert.equal(tagOf(reply.text, 'Code'), code);
  if (message) assert.match(tagOf(reply.text, 'Message'), message);
}

function assertJsonError(reply: RawReply, type: string, code: string, message?: RegExp): void {
  assert.equal(reply.status, 403, reply.text);
  assert.equal(reply.headers.get('content-type'), 'application/x-amz-json-1.0');
  const body = JSON.parse(reply.text) as { __type: string; message: string };
  assert.equal(body.__type, `com.amazon.coral.service#${type}`);
  assert.equal(reply.headers.get('x-amzn-query-error'), `${code};Sender`);
  if (message) assert.match(body.message, message);
}

describe('signed requests with an auth file', () => {
  const s = useClientServer({ isAuthRequired: true });

  it('takes requests signed with any listed key, in either protocol', async () => {
    for (const key of [CLIENT_KEY, OTHER_KEY]) {
      const query = await sendHeaderSigned(QUERY_LIST(s.url), { key });
      assert.equal(query.status, 200, query.text);
      assert.ok(query.text.includes('<ListQueuesResponse'));
      const json = await sendHeaderSigned(JSON_LIST(s.url), { key });
      assert.equal(json.status, 200, json.text);
      assert.equal(json.text, '{}');
    }
  });

  it('takes a presigned GET query request (X-Amz-Signature in the query string)', async () => {
    const reply = await sendPresigned({ method: 'GET', url: `${s.url}/`, query: { Action: 'ListQueues', Version: '2012-11-05' } });
    assert.equal(reply.status, 200, reply.text);
    assert.ok(reply.text.includes('<ListQueuesResponse'));
  });

  it('answers an unsigned request MissingAuthenticationToken in its protocol', async () => {
    assertXmlError(await postForm(`${s.url}/`, { Action: 'ListQueues' }), 'MissingAuthenticationToken');
    const json = await fetch(`${s.url}/`, { method: 'POST', headers: JSON_LIST(s.url).headers, body: '{}' });
    assertJsonError({ status: json.status, headers: json.headers, text: await json.text() }, 'MissingAuthenticationTokenException', 'MissingAuthenticationToken');
  });

  it('answers an unknown access key InvalidClientTokenId (403)', async () => {
    const stranger = { accessKeyId: 'AKIASTRANGER0000000', secretAccessKey: 'whatever' };
    assertXmlError(await sendHeaderSigned(QUERY_LIST(s.url), { key: stranger }), 'InvalidClientTokenId', /security token included in the request is invalid/);
    assertJsonError(await sendHeaderSigned(JSON_LIST(s.url), { key: stranger }), 'UnrecognizedClientException', 'InvalidClientTokenId');
  });

  it('answers a wrong secret SignatureDoesNotMatch (403)', async () => {
    const wrong = { accessKeyId: CLIENT_KEY.accessKeyId, secretAccessKey: 'not-the-secret' };
    assertXmlError(await sendHeaderSigned(QUERY_LIST(s.url), { key: wrong }), 'SignatureDoesNotMatch', /does not match the signature you provided/);
    assertJsonError(await sendHeaderSigned(JSON_LIST(s.url), { key: wrong }), 'InvalidSignatureException', 'SignatureDoesNotMatch');
  });

  it('answers a request signed 20 minutes ago SignatureDoesNotMatch "Signature expired", as SQS does', async () => {
    const signingDate = new Date(Date.now() - 20 * 60_000);
    assertXmlError(
      await sendHeaderSigned(QUERY_LIST(s.url), { signingDate }),
      'SignatureDoesNotMatch',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    assertJsonError(await sendHeaderSigned(JSON_LIST(s.url), { signingDate }), 'InvalidSignatureException', 'SignatureDoesNotMatch', /^Signature expired/);
  });

  it('answers a request signed 20 minutes ahead SignatureDoesNotMatch "not yet current"', async () => {
    const signingDate = new Date(Date.now() + 20 * 60_000);
    assertXmlError(await sendHeaderSigned(QUERY_LIST(s.url), { signingDate }), 'SignatureDoesNotMatch', /^Signature not yet current/);
  });
});

describe('without an auth file', () => {
  const s = useClientServer();

  it('takes unsigned requests and requests signed with any key', async () => {
    assert.equal((await postForm(`${s.url}/`, { Action: 'ListQueues' })).status, 200);
    const stranger = { accessKeyId: 'anything', secretAccessKey: 'at-all' };
    assert.equal((await sendHeaderSigned(QUERY_LIST(s.url), { key: stranger, signingDate: new Date(0) })).status, 200);
  });
});
