/**
 * @module test/durability/store-failure.test: a real `mqs server` whose disk fills up (a file-size limit, so
 * SQLite's writes fail with EFBIG as on a full disk) must answer the request it could not commit with a 500, stop
 * by itself with exit code 1 and say why, and leave on disk exactly the messages it acknowledged.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { killAllServerProcesses, startServerProcess } from './server-process.ts';
import { createDurabilityClient, wasAnswered } from './sqs-client.ts';

/** The WAL reaches this long before SQLite's automatic checkpoint (1,000 pages of 8 KiB). */
const FILE_SIZE_LIMIT_KIB = 2_048;
/** Far more than the limit holds: 3,000 batches of 10 one-KiB messages. */
const MAX_BATCHES = 3_000;
const PADDING = 'x'.repeat(1_000);
const EXIT_TIMEOUT_MS = 30_000;

describe('a commit that fails (disk full)', () => {
  after(killAllServerProcesses);

  it('is answered 500, stops the server with exit code 1, and loses no acknowledged message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mqs-store-failure-'));
    try {
      const limited = await startServerProcess({ dataDir, fileSizeLimitKiB: FILE_SIZE_LIMIT_KIB });
      const client = createDurabilityClient(limited.url);
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'filling' }));
      const acknowledged = new Set<string>();
      let failure: unknown;
      for (let batch = 0; batch < MAX_BATCHES && failure === undefined; batch++) {
        const bodies = Array.from({ length: 10 }, (_, j) => `${batch}-${j} ${PADDING}`);
        try {
          const result = await client.send(
            new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((body, j) => ({ Id: String(j), MessageBody: body })) }),
          );
          assert.equal(result.Failed?.length ?? 0, 0);
          for (const body of bodies) acknowledged.add(body);
        } catch (error) {
          failure = error;
        }
      }
      client.destroy();
      assert.ok(failure !== undefined, `${MAX_BATCHES} batches fit under a ${FILE_SIZE_LIMIT_KIB} KiB file-size limit`);
      assert.ok(wasAnswered(failure), `the failed commit was answered, not cut: ${String(failure)}`);
      assert.equal((failure as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 500);
      assert.ok(acknowledged.size > 0, 'some batches were committed before the disk filled');

      const exit = await limited.exited(EXIT_TIMEOUT_MS);
      assert.deepEqual(exit, { code: 1, signal: null }, `stderr: ${limited.stderr()}`);
      assert.match(limited.stderr(), /committing to .* failed .*stopping the server/s);

      // Restarted without the limit on the same directory: exactly what was acknowledged is there.
      const restarted = await startServerProcess({ dataDir });
      const reader = createDurabilityClient(restarted.url);
      const found = new Set<string>();
      for (;;) {
        const { Messages = [] } = await reader.send(
          new ReceiveMessageCommand({ QueueUrl: `${restarted.url}/000000000000/filling`, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) found.add(message.Body!);
      }
      reader.destroy();
      await restarted.stop();
      assert.equal(found.size, acknowledged.size);
      assert.deepEqual([...acknowledged].filter((body) => !found.has(body)), [], 'acknowledged messages missing');
      assert.deepEqual([...found].filter((body) => !acknowledged.has(body)), [], 'messages of the failed commit came back');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
