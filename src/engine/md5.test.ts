/** @module engine/md5.test: the digests match the vectors recorded from real SQS (spec §D.3). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { md5OfBody, md5OfMessageAttributes } from './md5.ts';
import type { MessageAttributeMap } from './types.ts';

const str = (stringValue: string, dataType = 'String') => ({ dataType, stringValue });
const bin = (bytes: string) => ({ dataType: 'Binary', binaryValue: Buffer.from(bytes, 'latin1') });

const VECTORS: Array<[string, MessageAttributeMap, string]> = [
  ['one string', { Foo: str('Bar') }, 'ae7155c6026991b6d54b11589678bf9c'],
  ['a number', { timestamp: str('1493147359900', 'Number') }, '235c5c510d26fb653d073faed50ae77c'],
  ['MyAttribute', { MyAttribute: str('foobar') }, 'adb59cd4678ea5a855436b949cd07ab6'],
  ['three strings, sorted by name', { Hello: str('There'), General: str('Kenobi'), 'Help.Me': str('Me') }, '4c360f3fdafd970e05fae2f149d997f5'],
  ['the filtered subset', { Hello: str('There') }, 'a311262e065454b75da111d535b8dacd'],
  ['binary with a control byte', { attr1: bin('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01') }, '8cbe4db156db8a94db8b801b7addb984'],
  ['a Lambda event', { WeeksOn: str('6', 'Number'), Author: str('John Grisham'), Title: str('The Whistler') }, 'd25a6aea97eb8f585bfa92d314504a92'],
  ['attribValue 1', { attribName1: str('attribValue 1') }, '19e27d4e946b072f3f58da80d94fd778'],
  ['a custom number type', { customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float') }, '9fe1b90bbd9965bdf77bac517c7d2495'],
  ['binary text', { binaryAttribute: bin('Hello binary world!') }, '31a92b15d92f8db860eda32aceb656c3'],
  ['color', { color: str('red') }, '20ca9041878c8c65d5a4bf6eaf446c21'],
];

describe('md5OfMessageAttributes', () => {
  for (const [title, attributes, expected] of VECTORS) {
    it(`matches the recorded digest for ${title}`, () => {
      assert.equal(md5OfMessageAttributes(attributes), expected);
    });
  }
  it('is absent for no attributes', () => {
    assert.equal(md5OfMessageAttributes({}), undefined);
    assert.equal(md5OfMessageAttributes(undefined), undefined);
  });
});

describe('md5OfBody', () => {
  it('hashes the UTF-8 body', () => {
    assert.equal(md5OfBody('test'), '098f6bcd4621d373cade4e832627b4f6');
    assert.equal(md5OfBody('hello'), '5d41402abc4b2a76b9719d911017c592');
  });
});
