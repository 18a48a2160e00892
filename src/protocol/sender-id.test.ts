/** @module protocol/sender-id.test: SenderId comes from the SigV4 credential scope, else the fixed local id. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SENDER_ID, senderIdFromAuthorization } from './sender-id.ts';

describe('senderIdFromAuthorization', () => {
  it('takes the access key id from the credential scope', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc';
    assert.equal(senderIdFromAuthorization(header), 'AKIDEXAMPLE');
  });

  it('falls back to the fixed id without a usable credential', () => {
    assert.equal(senderIdFromAuthorization(undefined), DEFAULT_SENDER_ID);
    assert.equal(senderIdFromAuthorization('Bearer x'), DEFAULT_SENDER_ID);
    assert.equal(senderIdFromAuthorization('AWS4-HMAC-SHA256 Credential=/2026/us-east-1/sqs'), DEFAULT_SENDER_ID);
    assert.equal(senderIdFromAuthorization('AWS4-HMAC-SHA256 Credential=bad key/2026'), DEFAULT_SENDER_ID);
    assert.equal(senderIdFromAuthorization('AWS4-HMAC-SHA256 Credential=AKID'), DEFAULT_SENDER_ID);
  });
});
