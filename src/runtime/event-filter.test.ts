/** @module runtime/event-filter.test: the §F.7 subset of filter patterns on SQS records. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SQSRecord } from 'aws-lambda';
import { compileFilters, InvalidFilterPatternError } from './event-filter.ts';

const record = (body: string, attributes: Record<string, string> = {}): SQSRecord =>
  ({
    messageId: 'm',
    receiptHandle: 'r',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '1', ...attributes },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  }) as SQSRecord;

const matches = (patterns: string[], body: string, attributes?: Record<string, string>) => compileFilters(patterns)(record(body, attributes));

describe('compileFilters', () => {
  it('passes everything without filters', () => {
    assert.equal(matches([], 'anything'), true);
  });

  it('matches literal values, prefix, suffix, equals-ignore-case and anything-but in a JSON body', () => {
    assert.equal(matches(['{"body":{"kind":["order"]}}'], '{"kind":"order"}'), true);
    assert.equal(matches(['{"body":{"kind":["order"]}}'], '{"kind":"refund"}'), false);
    assert.equal(matches(['{"body":{"id":[{"prefix":"ord-"}]}}'], '{"id":"ord-7"}'), true);
    assert.equal(matches(['{"body":{"id":[{"suffix":"-7"}]}}'], '{"id":"ord-7"}'), true);
    assert.equal(matches(['{"body":{"kind":[{"equals-ignore-case":"ORDER"}]}}'], '{"kind":"Order"}'), true);
    assert.equal(matches(['{"body":{"kind":[{"anything-but":["test","demo"]}]}}'], '{"kind":"demo"}'), false);
    assert.equal(matches(['{"body":{"kind":[{"anything-but":{"prefix":"t"}}]}}'], '{"kind":"live"}'), true);
  });

  it('matches numeric ranges, existence, nested fields and arrays', () => {
    assert.equal(matches(['{"body":{"n":[{"numeric":[">",0,"<=",5]}]}}'], '{"n":5}'), true);
    assert.equal(matches(['{"body":{"n":[{"numeric":[">",0,"<=",5]}]}}'], '{"n":6}'), false);
    assert.equal(matches(['{"body":{"a":{"b":[{"exists":true}]}}}'], '{"a":{"b":null}}'), true);
    assert.equal(matches(['{"body":{"a":{"c":[{"exists":false}]}}}'], '{"a":{"b":1}}'), true);
    assert.equal(matches(['{"body":{"tags":["x"]}}'], '{"tags":["w","x"]}'), true);
  });

  it('matches system attributes, $or, and OR-s several filters', () => {
    assert.equal(matches(['{"attributes":{"MessageGroupId":["g1"]}}'], 'x', { MessageGroupId: 'g1' }), true);
    assert.equal(matches(['{"$or":[{"body":{"a":[1]}},{"body":{"b":[2]}}]}'], '{"b":2}'), true);
    assert.equal(matches(['{"body":{"a":[1]}}', '{"body":{"b":[2]}}'], '{"a":3,"b":2}'), true);
  });

  it('lets a plain-text body match only a plain body pattern', () => {
    assert.equal(matches(['{"body":["hello"]}'], 'hello'), true);
    assert.equal(matches(['{"body":{"kind":["hello"]}}'], 'hello'), false);
  });

  it('rejects invalid patterns as CreateEventSourceMapping would', () => {
    for (const pattern of ['not json', '[]', '{"body":"order"}', '{"body":{"n":[{"numeric":[">"]}]}}', '{"body":{"x":[{"wildcard":"*"}]}}']) {
      assert.throws(() => compileFilters([pattern]), InvalidFilterPatternError, pattern);
    }
  });
});
