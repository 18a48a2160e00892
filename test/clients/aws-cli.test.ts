/**
 * @module test/clients/aws-cli: Debian's AWS CLI (2.9, the query protocol) through the client scenario, `aws sqs …
 * --endpoint-url`. The CLI starts in ~0.7 s of CPU, so most commands run through aws-cli-driver.py, which keeps the
 * same entry point /usr/bin/aws calls (awscli.clidriver) loaded in one python3; the `/usr/bin/aws` binary itself runs
 * the paging step (with --debug, to show its query requests) and the --auth checks. The CLI checks no MD5, so every MD5
 * it printed is checked against the oracle. CLI 2.9 predates the message-move-task commands (June 2023): that one step
 * is started with the SDK, and the CLI sees the message come back.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { after, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SQSClient, StartMessageMoveTaskCommand, ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';
import { CLIENT_KEY, CLIENT_REGION, OTHER_KEY, useClientServer } from './client-server.ts';
import {
  ALL_BYTES,
  arnOf,
  assertReceived,
  attributesToBase64Json,
  AUTH_ERRORS,
  BATCH,
  COMMON_ERRORS,
  type CommonErrorKey,
  expectedAttributesMd5,
  expectedBodyMd5,
  FIFO_SYSTEM_ATTRIBUTES,
  GROUP_ID,
  messageFromBase64Json,
  redrivePolicyOf,
  SINGLE_ATTRIBUTES,
  SINGLE_BODY,
  scenarioQueueNames,
} from './scenario.ts';
import { awsToolEnv, findAwsCli, requireTool, runTool } from './tools.ts';

type Json = Record<string, any>;
const TAG_TEXT = 'Ünïcødé ✓';

/** One `aws sqs` run: exit status, parsed stdout (when JSON), the legacy error code from stderr. */
interface CliResult {
  status: number | null;
  json: Json | undefined;
  stderr: string;
  errorCode: string | undefined;
}

type Key = { accessKeyId: string; secretAccessKey: string };
/** Runs one `aws sqs <args>` command against the test server. */
type Cli = (args: readonly string[], key?: Key) => Promise<CliResult>;

const DRIVER = fileURLToPath(new URL('./aws-cli-driver.py', import.meta.url));

function resultOf(status: number | null, stdout: string, stderr: string): CliResult {
  let json: Json | undefined;
  if (stdout.trim() !== '') {
    try {
      json = JSON.parse(stdout) as Json;
    } catch {
      json = undefined;
    }
  }
  // "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: …"
  const errorCode = /An error occurred \(([^)]+)\) when calling/.exec(stderr)?.[1];
  return { status, json, stderr, errorCode };
}

const sqsArgs = (args: readonly string[], endpoint: string) => ['sqs', ...args, '--endpoint-url', endpoint, '--output', 'json'];

/** Runs each command as its own `aws` process. */
function binaryCli(path: string, endpoint: string): Cli {
  return async (args, key = CLIENT_KEY) => {
    const run = await runTool(path, sqsArgs(args, endpoint), awsToolEnv(key));
    return resultOf(run.status, run.stdout, run.stderr);
  };
}

/** One aws-cli-driver.py for the whole file: its start-up (imports, service models) is paid once. */
interface Driver {
  /** The runner for one server. */
  cliFor(endpoint: string): Cli;
  close(): void;
}

/**
 * Starts aws-cli-driver.py under the interpreter of `path`'s shebang; commands run one after another. `undefined`
 * when `path` is not a Python launcher of awscli (then every command runs as its own process).
 */
function startDriver(path: string): Driver | undefined {
  const shebang = /^#!\s*(\S*python\S*)/.exec(readFileSync(path, 'utf8').slice(0, 200))?.[1];
  if (shebang === undefined) return undefined;
  const child = spawn(shebang, [DRIVER], { env: awsToolEnv(CLIENT_KEY), stdio: ['pipe', 'pipe', 'pipe'] });
  const pending: Array<(result: CliResult) => void> = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as { status: number; stdout: string; stderr: string };
    pending.shift()?.(resultOf(reply.status, reply.stdout, reply.stderr));
  });
  child.once('close', () => {
    for (const resolve of pending.splice(0)) resolve(resultOf(null, '', `aws-cli-driver.py exited: ${stderr}`));
  });
  return {
    cliFor: (endpoint) => (args, key = CLIENT_KEY) =>
      new Promise((resolve) => {
        pending.push(resolve);
        child.stdin.write(`${JSON.stringify({ args: sqsArgs(args, endpoint), env: awsToolEnv(key) })}\n`);
      }),
    close: () => child.stdin.end(),
  };
}

let sharedDriver: Driver | undefined;
let isDriverStarted = false;
/** The file's driver, started on first use. */
function driverFor(path: string): Driver | undefined {
  if (!isDriverStarted) {
    isDriverStarted = true;
    sharedDriver = startDriver(path);
  }
  return sharedDriver;
}
after(() => sharedDriver?.close());

function ok(result: CliResult, what: string): Json {
  assert.equal(result.status, 0, `aws sqs ${what} failed: ${result.stderr.slice(-600)}`);
  return result.json ?? {};
}

describe('AWS CLI (Debian awscli, query protocol): the client scenario', () => {
  const s = useClientServer();

  it('goes through the scenario', async (t: TestContext) => {
    const lookup = findAwsCli();
    const path = requireTool(t, lookup);
    if (path === undefined) return;
    t.diagnostic(lookup.isFound ? `${path}: ${lookup.detail}` : '');
    const binary = binaryCli(path, s.url);
    const driver = driverFor(path);
    t.diagnostic(driver ? `commands run through ${DRIVER} (awscli.clidriver, kept loaded)` : 'every command runs as an aws process');
    const aws = driver?.cliFor(s.url) ?? binary;
    const names = scenarioQueueNames('cli');
    const urls = { fifo: '', standard: '', dlq: '' };
    let received: Json[] = [];

    await t.test('creates a FIFO queue, and a standard queue with a dead-letter queue', async () => {
      const [dlq, fifo] = await Promise.all([
        aws(['create-queue', '--queue-name', names.dlq]),
        aws([
          'create-queue',
          '--queue-name',
          names.fifo,
          '--attributes',
          'FifoQueue=true,ContentBasedDeduplication=true,VisibilityTimeout=60',
          '--tags',
          'team=orders',
        ]),
      ]);
      urls.dlq = ok(dlq, 'create-queue').QueueUrl;
      urls.fifo = ok(fifo, 'create-queue').QueueUrl;
      urls.standard = ok(
        await aws(['create-queue', '--queue-name', names.standard, '--attributes', JSON.stringify({ RedrivePolicy: redrivePolicyOf(names.dlq) })]),
        'create-queue',
      ).QueueUrl;
      assert.equal(urls.fifo, `${s.url}/000000000000/${names.fifo}`);
      const [attributes, sources] = await Promise.all([
        aws(['get-queue-attributes', '--queue-url', urls.fifo, '--attribute-names', 'All']),
        aws(['list-dead-letter-source-queues', '--queue-url', urls.dlq]),
      ]);
      assert.equal(ok(attributes, 'get-queue-attributes').Attributes.FifoQueue, 'true');
      assert.equal(attributes.json?.Attributes.QueueArn, arnOf(names.fifo));
      assert.deepEqual(ok(sources, 'list-dead-letter-source-queues').queueUrls, [urls.standard]);
    });

    await t.test('sends a single message and a batch with every kind of attribute, with the right MD5s', async () => {
      const single = ok(
        await aws([
          'send-message',
          '--queue-url',
          urls.fifo,
          '--message-body',
          SINGLE_BODY,
          '--message-group-id',
          GROUP_ID,
          '--message-attributes',
          JSON.stringify(attributesToBase64Json(SINGLE_ATTRIBUTES)),
        ]),
        'send-message',
      );
      assert.equal(single.MD5OfMessageBody, expectedBodyMd5(SINGLE_BODY));
      assert.equal(single.MD5OfMessageAttributes, expectedAttributesMd5(SINGLE_ATTRIBUTES));
      const entries = BATCH.map((e) => ({ Id: e.id, MessageBody: e.body, MessageGroupId: GROUP_ID, MessageAttributes: attributesToBase64Json(e.attributes) }));
      const [batch, tagged] = await Promise.all([
        aws(['send-message-batch', '--queue-url', urls.fifo, '--entries', JSON.stringify(entries)]),
        aws(['tag-queue', '--queue-url', urls.fifo, '--tags', JSON.stringify({ env: 'dev', note: TAG_TEXT })]),
      ]);
      ok(tagged, 'tag-queue');
      assert.deepEqual(
        ok(batch, 'send-message-batch').Successful.map((e: Json) => [e.Id, e.MD5OfMessageBody, e.MD5OfMessageAttributes]),
        BATCH.map((e) => [e.id, expectedBodyMd5(e.body), expectedAttributesMd5(e.attributes)]),
      );
      assert.equal(batch.json?.Failed, undefined);
    });

    await t.test('receives them in order with all attributes, every MD5 matching', async () => {
      const out = ok(
        await aws([
          'receive-message',
          '--queue-url',
          urls.fifo,
          '--max-number-of-messages',
          '10',
          '--attribute-names',
          'All',
          '--message-attribute-names',
          'All',
        ]),
        'receive-message',
      );
      received = out.Messages ?? [];
      const messages = received.map(messageFromBase64Json);
      assert.equal(messages.length, 4);
      assertReceived(messages[0]!, SINGLE_BODY, SINGLE_ATTRIBUTES);
      BATCH.forEach((entry, i) => assertReceived(messages[i + 1]!, entry.body, entry.attributes));
      for (const message of messages) {
        for (const name of FIFO_SYSTEM_ATTRIBUTES) assert.ok(message.attributes[name], `system attribute ${name}`);
        assert.equal(message.attributes.SenderId, CLIENT_KEY.accessKeyId);
      }
      assert.deepEqual([...(messages[0]!.messageAttributes.blob?.BinaryValue ?? [])], [...ALL_BYTES]);
    });

    await t.test('changes visibility, alone and in a batch, then deletes in a batch', async () => {
      const [first, ...rest] = received;
      const [single, batch] = await Promise.all([
        aws(['change-message-visibility', '--queue-url', urls.fifo, '--receipt-handle', first!.ReceiptHandle, '--visibility-timeout', '120']),
        aws([
          'change-message-visibility-batch',
          '--queue-url',
          urls.fifo,
          '--entries',
          JSON.stringify(rest.map((m, i) => ({ Id: `c${i}`, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 90 }))),
        ]),
      ]);
      ok(single, 'change-message-visibility');
      assert.deepEqual(ok(batch, 'change-message-visibility-batch').Successful.map((e: Json) => e.Id), ['c0', 'c1', 'c2']);
      s.clock.advance(70_000);
      const attributes = ok(
        await aws(['get-queue-attributes', '--queue-url', urls.fifo, '--attribute-names', 'ApproximateNumberOfMessagesNotVisible']),
        'get-queue-attributes',
      );
      assert.equal(attributes.Attributes.ApproximateNumberOfMessagesNotVisible, '4');
      const deleted = ok(
        await aws([
          'delete-message-batch',
          '--queue-url',
          urls.fifo,
          '--entries',
          JSON.stringify(received.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle }))),
        ]),
        'delete-message-batch',
      );
      assert.deepEqual(deleted.Successful.map((e: Json) => e.Id), ['d0', 'd1', 'd2', 'd3']);
    });

    await t.test('tags and untags a queue', async () => {
      assert.deepEqual(ok(await aws(['list-queue-tags', '--queue-url', urls.fifo]), 'list-queue-tags').Tags, {
        team: 'orders',
        env: 'dev',
        note: TAG_TEXT,
      });
      ok(await aws(['untag-queue', '--queue-url', urls.fifo, '--tag-keys', 'env', 'note']), 'untag-queue');
      assert.deepEqual(ok(await aws(['list-queue-tags', '--queue-url', urls.fifo]), 'list-queue-tags').Tags, { team: 'orders' });
    });

    await t.test('lists the queues a page at a time, over the query protocol', async () => {
      // --page-size 1 makes the CLI follow NextToken itself; --debug shows each request it sent.
      const listed = await binary(['list-queues', '--queue-name-prefix', names.prefix, '--page-size', '1', '--debug']);
      assert.deepEqual(ok(listed, 'list-queues').QueueUrls, [urls.dlq, urls.fifo, urls.standard]);
      const requests = listed.stderr.match(/Making request for OperationModel\(name=ListQueues\)[^\n]*/g) ?? [];
      assert.equal(requests.length, 3, 'one request per page of one queue; the last answer has no NextToken');
      for (const request of requests) assert.match(request, /'Action': 'ListQueues'/, 'a query-protocol request');
      assert.doesNotMatch(listed.stderr, /X-Amz-Target/);
    });

    await t.test('moves a dead-lettered message back (the move task started with the SDK)', async () => {
      const sent = ok(await aws(['send-message', '--queue-url', urls.standard, '--message-body', 'poison']), 'send-message');
      ok(await aws(['receive-message', '--queue-url', urls.standard, '--visibility-timeout', '0']), 'receive-message');
      const second = ok(await aws(['receive-message', '--queue-url', urls.standard]), 'receive-message');
      assert.equal(second.Messages, undefined, 'maxReceiveCount 1: the second receive moved it to the DLQ');
      const dead = ok(
        await aws(['receive-message', '--queue-url', urls.dlq, '--visibility-timeout', '0', '--attribute-names', 'All']),
        'receive-message',
      );
      assert.equal(dead.Messages?.[0]?.MessageId, sent.MessageId);
      assert.equal(dead.Messages?.[0]?.Attributes.DeadLetterQueueSourceArn, arnOf(names.standard));
      const sdk = new SQSClient({ region: CLIENT_REGION, credentials: CLIENT_KEY, endpoint: s.url, maxAttempts: 1 });
      await sdk.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(names.dlq) }));
      s.clock.advance(1_000);
      const tasks = await sdk.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(names.dlq) }));
      sdk.destroy();
      assert.equal(tasks.Results?.[0]?.Status, 'COMPLETED');
      const back = ok(await aws(['receive-message', '--queue-url', urls.standard]), 'receive-message');
      assert.equal(back.Messages?.[0]?.MessageId, sent.MessageId);
      ok(await aws(['delete-message', '--queue-url', urls.standard, '--receipt-handle', back.Messages[0].ReceiptHandle]), 'delete-message');
    });

    await t.test('purges a queue', async () => {
      ok(await aws(['send-message', '--queue-url', urls.standard, '--message-body', 'to be purged']), 'send-message');
      ok(await aws(['purge-queue', '--queue-url', urls.standard]), 'purge-queue');
      const attributes = ok(
        await aws(['get-queue-attributes', '--queue-url', urls.standard, '--attribute-names', 'ApproximateNumberOfMessages']),
        'get-queue-attributes',
      );
      assert.equal(attributes.Attributes.ApproximateNumberOfMessages, '0');
    });

    await t.test('sees the right code for each common error', async () => {
      const cases: Record<CommonErrorKey, string[]> = {
        queueDoesNotExist: ['get-queue-url', '--queue-name', `${names.prefix}-missing`],
        queueAlreadyExists: ['create-queue', '--queue-name', names.standard, '--attributes', 'VisibilityTimeout=5'],
        invalidParameterValue: ['receive-message', '--queue-url', urls.standard, '--max-number-of-messages', '11'],
        missingParameter: ['send-message', '--queue-url', urls.standard, '--message-body', ''],
        receiptHandleIsInvalid: ['delete-message', '--queue-url', urls.standard, '--receipt-handle', 'garbage'],
        batchEntryIdsNotDistinct: [
          'send-message-batch',
          '--queue-url',
          urls.standard,
          '--entries',
          JSON.stringify([
            { Id: 'same', MessageBody: 'a' },
            { Id: 'same', MessageBody: 'b' },
          ]),
        ],
        invalidAttributeName: ['get-queue-attributes', '--queue-url', urls.standard, '--attribute-names', 'NoSuchAttribute'],
        // The queue was purged by the step before, within 60 s.
        purgeQueueInProgress: ['purge-queue', '--queue-url', urls.standard],
      };
      const keys = Object.keys(cases) as CommonErrorKey[];
      const results = await Promise.all(keys.map((key) => aws(cases[key])));
      keys.forEach((key, i) => {
        const result = results[i]!;
        assert.equal(result.errorCode, COMMON_ERRORS[key].code, `${key}: ${result.stderr.slice(-400)}`);
        assert.notEqual(result.status, 0);
      });
    });
  });
});

describe('AWS CLI against a server with --auth', () => {
  const s = useClientServer({ isAuthRequired: true });

  it('passes with a listed key; sees InvalidClientTokenId and SignatureDoesNotMatch otherwise', async (t: TestContext) => {
    const path = requireTool(t, findAwsCli());
    if (path === undefined) return;
    // The binary itself for a signed call; the driver (the same CLI code, kept loaded) for the rest.
    const binary = binaryCli(path, s.url);
    const aws = driverFor(path)?.cliFor(s.url) ?? binary;
    const created = await binary(['create-queue', '--queue-name', 'cli-auth']);
    const url = ok(created, 'create-queue').QueueUrl;
    const stranger = await aws(['list-queues'], { accessKeyId: 'AKIASTRANGER0000000', secretAccessKey: CLIENT_KEY.secretAccessKey });
    const wrong = await aws(['list-queues'], { accessKeyId: CLIENT_KEY.accessKeyId, secretAccessKey: 'not-the-secret' });
    assert.deepEqual(ok(await aws(['list-queues'], OTHER_KEY), 'list-queues').QueueUrls, [url]);
    ok(await aws(['send-message', '--queue-url', url, '--message-body', 'signed']), 'send-message');
    assert.equal(ok(await aws(['receive-message', '--queue-url', url]), 'receive-message').Messages?.[0]?.Body, 'signed');
    assert.equal(stranger.errorCode, AUTH_ERRORS.unknownKey.code, stranger.stderr);
    assert.equal(wrong.errorCode, AUTH_ERRORS.wrongSecret.code, wrong.stderr);
  });
});
