/** @module test/integration/message-attributes: attribute types, the §D.3 MD5 vectors, receive filters and validation (spec §D.2, §D.3). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue } from '../helpers/queues.ts';
import { expectOneOfSqsErrors, expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, receiveOne, send } from '../helpers/messages.ts';
import { md5OfMessageAttributes } from '../helpers/md5.ts';

type Attrs = Record<string, MessageAttributeValue>;
const str = (StringValue: string, DataType = 'String'): MessageAttributeValue => ({ DataType, StringValue });
const num = (StringValue: string, DataType = 'Number'): MessageAttributeValue => ({ DataType, StringValue });
const bin = (bytes: Uint8Array | string, DataType = 'Binary'): MessageAttributeValue => ({
  DataType,
  BinaryValue: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
});

/** Spec §D.3 test vectors. */
const MD5_VECTORS: Array<[string, Attrs, string]> = [
  ['Foo String', { Foo: str('Bar') }, 'ae7155c6026991b6d54b11589678bf9c'],
  ['timestamp Number', { timestamp: num('1493147359900') }, '235c5c510d26fb653d073faed50ae77c'],
  ['MyAttribute String', { MyAttribute: str('foobar') }, 'adb59cd4678ea5a855436b949cd07ab6'],
  [
    'three Strings',
    { General: str('Kenobi'), Hello: str('There'), 'Help.Me': str('Me') },
    '4c360f3fdafd970e05fae2f149d997f5',
  ],
  ['Hello String', { Hello: str('There') }, 'a311262e065454b75da111d535b8dacd'],
  [
    'traceparent Binary',
    { attr1: bin(Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1')) },
    '8cbe4db156db8a94db8b801b7addb984',
  ],
  [
    'Lambda event attributes',
    { WeeksOn: num('6'), Author: str('John Grisham'), Title: str('The Whistler') },
    'd25a6aea97eb8f585bfa92d314504a92',
  ],
  ['attribName1 String', { attribName1: str('attribValue 1') }, '19e27d4e946b072f3f58da80d94fd778'],
  [
    'Number.float custom type',
    { customNumberTypeAttrib: num('4563442423554324324264524243.32543234', 'Number.float') },
    '9fe1b90bbd9965bdf77bac517c7d2495',
  ],
  ['Binary', { binaryAttribute: bin('Hello binary world!') }, '31a92b15d92f8db860eda32aceb656c3'],
  ['color String', { color: str('red') }, '20ca9041878c8c65d5a4bf6eaf446c21'],
];

describe('message attributes', () => {
  const t = useTestServer();

  it('has a test oracle that reproduces every §D.3 vector', () => {
    for (const [label, attrs, md5] of MD5_VECTORS) assert.equal(md5OfMessageAttributes(attrs), md5, label);
  });

  for (const [label, attrs, md5] of MD5_VECTORS) {
    it(`returns MD5OfMessageAttributes ${md5} for the §D.3 vector "${label}" on send and on receive`, async () => {
      const q = await createStandardQueue(t.sqs);
      const sent = await send(t.sqs, q.url, 'body', { MessageAttributes: attrs });
      assert.equal(sent.MD5OfMessageAttributes, md5);
      const got = await receiveOne(t.sqs, q.url, { MessageAttributeNames: ['All'] });
      assert.equal(got.MD5OfMessageAttributes, md5);
      assert.deepEqual(Object.keys(got.MessageAttributes ?? {}).sort(), Object.keys(attrs).sort());
    });
  }

  it('returns every type with its DataType, including custom types, byte for byte', async () => {
    const q = await createStandardQueue(t.sqs);
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x00, 0xff, 0x80]);
    const attrs: Attrs = {
      s: str('plain'),
      n: num('-12.5e3'),
      b: bin(new Uint8Array([0, 1, 2, 253, 254, 255])),
      f: num('3.14159', 'Number.float'),
      g: bin(gif, 'Binary.gif'),
      c: str('x', 'String.custom-label'),
    };
    const sent = await send(t.sqs, q.url, 'typed', { MessageAttributes: attrs });
    assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(attrs));
    const got = await receiveOne(t.sqs, q.url, { MessageAttributeNames: ['All'] });
    const ma = got.MessageAttributes ?? {};
    assert.deepEqual({ DataType: ma.s?.DataType, StringValue: ma.s?.StringValue }, { DataType: 'String', StringValue: 'plain' });
    assert.deepEqual({ DataType: ma.n?.DataType, StringValue: ma.n?.StringValue }, { DataType: 'Number', StringValue: '-12.5e3' });
    assert.equal(ma.b?.DataType, 'Binary');
    assert.deepEqual(Buffer.from(ma.b?.BinaryValue ?? []), Buffer.from([0, 1, 2, 253, 254, 255]));
    assert.deepEqual({ DataType: ma.f?.DataType, StringValue: ma.f?.StringValue }, { DataType: 'Number.float', StringValue: '3.14159' });
    assert.equal(ma.g?.DataType, 'Binary.gif');
    assert.deepEqual(Buffer.from(ma.g?.BinaryValue ?? []), Buffer.from(gif));
    assert.equal(ma.c?.DataType, 'String.custom-label');
    assert.equal(got.MD5OfMessageAttributes, md5OfMessageAttributes(attrs));
  });

  it('keeps non-ASCII values and hashes their UTF-8 bytes', async () => {
    const q = await createStandardQueue(t.sqs);
    // Names are limited to [A-Za-z0-9_.-] (§D.2); values may hold any allowed character.
    const attrs: Attrs = { greeting: str('Grüße 你好 😀'), 'accent.e': str('é', 'String.unicode') };
    const sent = await send(t.sqs, q.url, 'ü', { MessageAttributes: attrs });
    assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(attrs));
    const got = await receiveOne(t.sqs, q.url, { MessageAttributeNames: ['All'] });
    assert.equal(got.MessageAttributes?.greeting?.StringValue, 'Grüße 你好 😀');
    assert.equal(got.MD5OfMessageAttributes, md5OfMessageAttributes(attrs));
  });

  it('omits MD5OfMessageAttributes on send when no attributes are sent', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'bare');
    assert.equal(sent.MD5OfMessageAttributes, undefined);
  });

  it('hashes each SendMessageBatch entry over its own attributes', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'a', MessageBody: 'x', MessageAttributes: { color: str('red') } },
          { Id: 'b', MessageBody: 'y' },
        ],
      }),
    );
    const byId = new Map(out.Successful?.map((s) => [s.Id, s]));
    assert.equal(byId.get('a')?.MD5OfMessageAttributes, '20ca9041878c8c65d5a4bf6eaf446c21');
    assert.equal(byId.get('b')?.MD5OfMessageAttributes, undefined);
  });

  describe('receive filter (MessageAttributeNames)', () => {
    const attrs: Attrs = { General: str('Kenobi'), Hello: str('There'), 'Help.Me': str('Me') };
    const filtered = async (names: string[] | undefined) => {
      const q = await createStandardQueue(t.sqs);
      await send(t.sqs, q.url, 'filter me', { MessageAttributes: attrs });
      const got = await receiveOne(t.sqs, q.url, names ? { MessageAttributeNames: names } : {});
      return { names: Object.keys(got.MessageAttributes ?? {}).sort(), md5: got.MD5OfMessageAttributes };
    };

    for (const all of ['All', '.*']) {
      it(`returns every attribute for ${all}`, async () => {
        assert.deepEqual(await filtered([all]), { names: ['General', 'Hello', 'Help.Me'], md5: '4c360f3fdafd970e05fae2f149d997f5' });
      });
    }

    it('returns the names starting with the prefix for prefix.*', async () => {
      const got = await filtered(['Hel.*']);
      assert.deepEqual(got.names, ['Hello', 'Help.Me']);
      assert.equal(got.md5, md5OfMessageAttributes({ Hello: str('There'), 'Help.Me': str('Me') }));
    });

    it('returns only the exact names asked for, hashed over what is returned', async () => {
      assert.deepEqual(await filtered(['Hello']), { names: ['Hello'], md5: 'a311262e065454b75da111d535b8dacd' });
    });

    it('matches exact names case-sensitively', async () => {
      assert.deepEqual(await filtered(['hello']), { names: [], md5: undefined });
    });

    it('returns nothing (and no MD5) for names the message does not have', async () => {
      assert.deepEqual(await filtered(['Unknown', 'Nope.*']), { names: [], md5: undefined });
    });

    it('returns no attributes when MessageAttributeNames is omitted', async () => {
      assert.deepEqual(await filtered(undefined), { names: [], md5: undefined });
    });

    it('returns the union of several filters', async () => {
      assert.deepEqual((await filtered(['General', 'Help.*'])).names, ['General', 'Help.Me']);
    });
  });

  describe('validation', () => {
    const rejects = async (MessageAttributes: Attrs, message?: string | RegExp) => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(send(t.sqs, q.url, 'x', { MessageAttributes }), 'InvalidParameterValue', message);
      assert.deepEqual(await receive(t.sqs, q.url), []);
    };

    it('rejects more than 10 attributes', async () => {
      const attrs: Attrs = {};
      for (let i = 0; i < 11; i++) attrs[`a${i}`] = str('v');
      await rejects(attrs);
    });

    it('accepts exactly 10 attributes', async () => {
      const q = await createStandardQueue(t.sqs);
      const attrs: Attrs = {};
      for (let i = 0; i < 10; i++) attrs[`a${i}`] = str('v');
      const sent = await send(t.sqs, q.url, 'x', { MessageAttributes: attrs });
      assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(attrs));
    });

    for (const reserved of ['AWS.thing', 'aws.thing', 'Amazon.thing', 'amazon.Thing']) {
      it(`rejects the reserved attribute name ${reserved}`, async () => {
        await rejects({ [reserved]: str('v') });
      });
    }

    for (const bad of ['.leading', 'trailing.', 'double..dot', 'has space', 'slash/name', 'x'.repeat(257)]) {
      it(`rejects the attribute name ${JSON.stringify(bad.length > 20 ? `${bad.length} chars` : bad)}`, async () => {
        await rejects({ [bad]: str('v') });
      });
    }

    for (const badType of ['Integer', 'string', 'Numbers', 'Binary-gif', '']) {
      it(`rejects the DataType ${JSON.stringify(badType)}`, async () => {
        await rejects({ attr: { DataType: badType, StringValue: '1' } });
      });
    }

    it('rejects an empty String value with the AWS text', async () => {
      await rejects({ empty: str('') }, "Message (user) attribute 'empty' must contain a non-empty value of type 'String'.");
    });

    it('rejects a Number value that is not a number', async () => {
      await rejects({ n: num('twelve') });
    });

    it('rejects a String value with an invalid character', async () => {
      const q = await createStandardQueue(t.sqs);
      await expectOneOfSqsErrors(send(t.sqs, q.url, 'x', { MessageAttributes: { s: str('a\u0000b') } }), [
        'InvalidParameterValue',
        'InvalidMessageContents',
      ]);
    });

    it('rejects an attribute without any value', async () => {
      await rejects({ none: { DataType: 'String' } });
    });
  });
});
