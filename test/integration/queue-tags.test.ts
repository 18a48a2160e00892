/** @module test/integration/queue-tags: TagQueue, UntagQueue and ListQueueTags (spec §B). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListQueueTagsCommand, TagQueueCommand, UntagQueueCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue } from '../helpers/queues.ts';

describe('queue tags', () => {
  const t = useTestServer();
  const tags = async (QueueUrl: string) => (await t.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags;

  it('omits Tags for a queue without tags', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: q.url }));
    assert.equal(out.Tags, undefined);
    assert.ok(out.$metadata.requestId);
  });

  it('adds tags, keeps empty-string values and overwrites an existing key', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(new TagQueueCommand({ QueueUrl: q.url, Tags: { env: 'dev', owner: '' } }));
    assert.ok(out.$metadata.requestId);
    await t.sqs.send(new TagQueueCommand({ QueueUrl: q.url, Tags: { env: 'prod', team: 'core' } }));
    assert.deepEqual(await tags(q.url), { env: 'prod', owner: '', team: 'core' });
  });

  it('treats tag keys case-sensitively', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(new TagQueueCommand({ QueueUrl: q.url, Tags: { Env: 'a', env: 'b' } }));
    assert.deepEqual(await tags(q.url), { Env: 'a', env: 'b' });
  });

  it('removes the named keys and ignores keys that are not there', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(new TagQueueCommand({ QueueUrl: q.url, Tags: { a: '1', b: '2', c: '3' } }));
    const out = await t.sqs.send(new UntagQueueCommand({ QueueUrl: q.url, TagKeys: ['a', 'missing'] }));
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(await tags(q.url), { b: '2', c: '3' });
    await t.sqs.send(new UntagQueueCommand({ QueueUrl: q.url, TagKeys: ['b', 'c'] }));
    assert.equal(await tags(q.url), undefined);
  });

  it('keeps non-ASCII keys and values', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(new TagQueueCommand({ QueueUrl: q.url, Tags: { 'clé': 'valeur ✓', '名前': '値' } }));
    assert.deepEqual(await tags(q.url), { 'clé': 'valeur ✓', '名前': '値' });
  });

  it('rejects a key with the reserved aws: prefix and stores nothing', async () => {
    const q = await createStandardQueue(t.sqs);
    await assert.rejects(
      t.sqs.send(new TagQueueCommand({ QueueUrl: q.url, Tags: { 'aws:owner': 'me' } })),
      (err: Error & { $metadata?: { httpStatusCode?: number }; Type?: string }) => {
        assert.equal(err.$metadata?.httpStatusCode, 400);
        assert.equal(err.Type, 'Sender');
        return true;
      },
    );
    assert.equal(await tags(q.url), undefined);
  });
});
