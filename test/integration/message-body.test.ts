/** @module test/integration/message-body: allowed body characters, byte-exact round trips and size limits (spec §D.1, §B SendMessage). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, receiveOne, send } from '../helpers/messages.ts';
import { md5Hex } from '../helpers/md5.ts';

const MAX_DEFAULT_BYTES = 1_048_576;

/** Bodies made of allowed characters, including the edges of each allowed range. */
const VALID_BODIES: Record<string, string> = {
  'tab, LF and CR': 'a\tb\nc\rd\r\n',
  'space and printable ASCII': ' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~',
  'U+D7FF and U+E000': '\uD7FF\uE000',
  'U+FFFD': '\uFFFD',
  'astral plane (emoji, U+10FFFF)': '😀 \u{10000} \u{10FFFF}',
  'non-Latin scripts': 'Grüße, 你好, こんにちは, Здравствуйте, مرحبا',
  'JSON and XML look-alikes': '{"a":"<b>&amp;</b>"} ]]> &#xD;',
};

/** Bodies containing a character outside #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
const INVALID_BODIES: Record<string, string> = {
  'U+0000': 'a\u0000b',
  'U+0008 (backspace)': 'a\u0008b',
  'U+001F': 'a\u001Fb',
  'U+FFFE': 'a\uFFFEb',
  'U+FFFF': 'a\uFFFFb',
};

describe('message body', () => {
  const t = useTestServer();

  for (const [label, body] of Object.entries(VALID_BODIES)) {
    it(`returns a body with ${label} byte for byte, with its MD5`, async () => {
      const q = await createStandardQueue(t.sqs);
      const sent = await send(t.sqs, q.url, body);
      assert.equal(sent.MD5OfMessageBody, md5Hex(body));
      const got = await receiveOne(t.sqs, q.url);
      assert.equal(got.Body, body);
      assert.equal(got.MD5OfBody, md5Hex(body));
      assert.equal(got.MessageId, sent.MessageId);
    });
  }

  for (const [label, body] of Object.entries(INVALID_BODIES)) {
    it(`rejects a body containing ${label} with InvalidMessageContents`, async () => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(send(t.sqs, q.url, body), 'InvalidMessageContents');
      assert.deepEqual(await receive(t.sqs, q.url), []);
    });
  }

  it('rejects a body containing a lone surrogate with InvalidMessageContents', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(send(t.sqs, q.url, 'a\uD800b'), 'InvalidMessageContents');
  });

  it('matches the §D.3 body MD5 vectors for "test" and "hello"', async () => {
    const q = await createStandardQueue(t.sqs);
    assert.equal((await send(t.sqs, q.url, 'test')).MD5OfMessageBody, '098f6bcd4621d373cade4e832627b4f6');
    assert.equal((await send(t.sqs, q.url, 'hello')).MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
  });

  it('rejects an empty body with MissingParameter', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      t.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: '' })),
      'MissingParameter',
      'The request must contain the parameter MessageBody.',
    );
  });

  it('accepts a body of exactly 1 MiB (the default MaximumMessageSize) and returns it intact', async () => {
    const q = await createStandardQueue(t.sqs);
    const body = 'x'.repeat(MAX_DEFAULT_BYTES);
    await send(t.sqs, q.url, body);
    const got = await receiveOne(t.sqs, q.url);
    assert.equal(got.Body?.length, MAX_DEFAULT_BYTES);
    assert.equal(got.MD5OfBody, md5Hex(body));
  });

  it('rejects a body of 1 MiB + 1 byte with InvalidParameterValue naming the limit', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      send(t.sqs, q.url, 'x'.repeat(MAX_DEFAULT_BYTES + 1)),
      'InvalidParameterValue',
      'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    );
  });

  it('applies a smaller queue MaximumMessageSize: 1024 bytes pass, 1025 fail', async () => {
    const q = await createStandardQueue(t.sqs, { MaximumMessageSize: '1024' });
    await send(t.sqs, q.url, 'y'.repeat(1024));
    await expectSqsError(
      send(t.sqs, q.url, 'y'.repeat(1025)),
      'InvalidParameterValue',
      'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    );
  });

  it('counts UTF-8 bytes, not characters, against MaximumMessageSize', async () => {
    const q = await createStandardQueue(t.sqs, { MaximumMessageSize: '1024' });
    await send(t.sqs, q.url, 'é'.repeat(512)); // 1024 bytes
    await expectSqsError(send(t.sqs, q.url, 'é'.repeat(513)), 'InvalidParameterValue', /shorter than 1024 bytes/);
  });

  it('counts attribute names, data types and values toward MaximumMessageSize', async () => {
    const q = await createStandardQueue(t.sqs, { MaximumMessageSize: '1024' });
    // 1000 (body) + 4 (name "attr") + 6 ("String") + 14 (value) = 1024
    const attrs = (value: string) => ({ attr: { DataType: 'String', StringValue: value } });
    await send(t.sqs, q.url, 'z'.repeat(1000), { MessageAttributes: attrs('v'.repeat(14)) });
    await expectSqsError(
      send(t.sqs, q.url, 'z'.repeat(1000), { MessageAttributes: attrs('v'.repeat(15)) }),
      'InvalidParameterValue',
      /shorter than 1024 bytes/,
    );
  });

  it('applies a lowered MaximumMessageSize to later sends', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'w'.repeat(2000));
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { MaximumMessageSize: '1024' } }));
    await expectSqsError(send(t.sqs, q.url, 'w'.repeat(2000)), 'InvalidParameterValue', /shorter than 1024 bytes/);
  });

  it('rejects a too-large entry of SendMessageBatch in Failed and sends the others (HTTP 200)', async () => {
    const q = await createStandardQueue(t.sqs, { MaximumMessageSize: '1024' });
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'ok', MessageBody: 'small' },
          { Id: 'big', MessageBody: 'b'.repeat(1025) },
        ],
      }),
    );
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['ok']);
    assert.equal(out.Failed?.length, 1);
    const failed = out.Failed?.[0];
    assert.equal(failed?.Id, 'big');
    assert.equal(failed?.Code, 'InvalidParameterValue');
    assert.equal(failed?.SenderFault, true);
    assert.match(failed?.Message ?? '', /Message must be shorter than 1024 bytes\./);
  });
});
