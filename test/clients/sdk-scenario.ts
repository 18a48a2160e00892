/**
 * @module test/clients/sdk-scenario: the client scenario (scenario.ts) through an aws-sdk-js-v3 SQS client, shared by
 * the current SDK (AWS JSON 1.0) and the pre-3.447 one installed as `sqs-query-sdk` (query protocol). The command
 * classes of both versions have the same names and inputs, so one scenario drives either; a middleware records what
 * went over the wire, so each test proves which protocol the client spoke.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as CurrentSdk from '@aws-sdk/client-sqs';
import type { ClientServer } from './client-server.ts';
import { CLIENT_KEY, CLIENT_REGION, OTHER_KEY, useClientServer } from './client-server.ts';
import {
  ALL_BYTES,
  arnOf,
  assertReceived,
  BATCH,
  COMMON_ERRORS,
  type CommonErrorKey,
  type ExpectedError,
  expectedAttributesMd5,
  expectedBodyMd5,
  FIFO_SYSTEM_ATTRIBUTES,
  GROUP_ID,
  redrivePolicyOf,
  SINGLE_ATTRIBUTES,
  SINGLE_BODY,
  type ScenarioAttributes,
  type ScenarioMessage,
  scenarioQueueNames,
} from './scenario.ts';

/** The SDK module (either version), typed as the current one. */
export type SqsSdk = typeof CurrentSdk;
type Client = CurrentSdk.SQSClient;

export interface SdkScenarioOptions {
  /** Test-title label, e.g. `@aws-sdk/client-sqs 3.1175.0 (JSON)`. */
  label: string;
  sdk: SqsSdk;
  /** The protocol every request must be in. */
  protocol: 'json' | 'query';
  /** Queue-name prefix. */
  clientName: string;
  /** Whether the SDK has `MessageSystemAttributeNames` (2024+); older ones send `AttributeNames`. */
  hasMessageSystemAttributeNames: boolean;
  /** Builds the client for `url` with `credentials` (the test decides how the endpoint is given). */
  makeClient(sdk: SqsSdk, url: string, credentials: { accessKeyId: string; secretAccessKey: string }): Client;
}

/** Records the protocol of every request the client sends. */
function recordProtocols(client: Client): string[] {
  const seen: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: unknown };
      const target = request.headers['x-amz-target'];
      const body = typeof request.body === 'string' ? request.body : '';
      seen.push(target !== undefined ? 'json' : /(^|&)Action=/.test(body) ? 'query' : `other: ${request.headers['content-type']}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'mqsProtocolRecorder' },
  );
  return seen;
}

function toScenarioAttributes(attributes: Record<string, CurrentSdk.MessageAttributeValue> | undefined): ScenarioAttributes {
  const out: ScenarioAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = { DataType: value.DataType ?? '' };
    if (value.StringValue !== undefined) out[name].StringValue = value.StringValue;
    if (value.BinaryValue !== undefined) out[name].BinaryValue = value.BinaryValue;
  }
  return out;
}

function toScenarioMessage(message: CurrentSdk.Message): ScenarioMessage {
  return {
    body: message.Body ?? '',
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    attributes: message.Attributes ?? {},
    messageAttributes: toScenarioAttributes(message.MessageAttributes),
  };
}

/** The legacy code and status of an SDK error, from wherever this SDK version puts them. */
function errorOf(error: unknown): { name: string; code: string | undefined; status: number | undefined; type: string | undefined } {
  const e = error as { name: string; Code?: string; Type?: string; Error?: { Code?: string; Type?: string }; $metadata?: { httpStatusCode?: number } };
  return {
    name: e.name,
    // Current SDKs copy x-amzn-query-error into Code/Type; query-protocol SDKs keep the XML <Error> as `Error`.
    code: e.Code ?? e.Error?.Code,
    type: e.Type ?? e.Error?.Type,
    status: e.$metadata?.httpStatusCode,
  };
}

/** Asserts `action` fails with `expected`'s code, Sender type and status. */
export async function assertSdkError(action: Promise<unknown>, expected: ExpectedError): Promise<void> {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught, `expected ${expected.code}, but the call succeeded`);
  const actual = errorOf(caught);
  assert.deepEqual(
    { code: actual.code, type: actual.type, status: actual.status },
    { code: expected.code, type: 'Sender', status: expected.status },
    `error ${actual.name}: ${String((caught as Error).message)}`,
  );
}

/**
 * Registers the scenario as a `describe` with one `it` per step (steps share state and run in order), then a
 * `describe` against a server with an auth file.
 */
export function describeSdkScenario(options: SdkScenarioOptions): void {
  const { sdk } = options;
  describe(`${options.label}: the client scenario`, () => {
    const s: ClientServer = useClientServer();
    const names = scenarioQueueNames(options.clientName);
    let client: Client;
    let protocols: string[];
    const urls = { fifo: '', standard: '', dlq: '' };
    let received: CurrentSdk.Message[] = [];
    const send = <T>(command: T) => client.send(command as Parameters<Client['send']>[0]) as Promise<any>;
    const systemNames = (names: CurrentSdk.MessageSystemAttributeName[]) =>
      options.hasMessageSystemAttributeNames
        ? { MessageSystemAttributeNames: names }
        : { AttributeNames: names as CurrentSdk.QueueAttributeName[] };

    it('creates a FIFO queue, and a standard queue with a dead-letter queue', async () => {
      client = options.makeClient(sdk, s.url, CLIENT_KEY);
      protocols = recordProtocols(client);
      urls.dlq = (await send(new sdk.CreateQueueCommand({ QueueName: names.dlq }))).QueueUrl;
      urls.standard = (
        await send(new sdk.CreateQueueCommand({ QueueName: names.standard, Attributes: { RedrivePolicy: redrivePolicyOf(names.dlq) } }))
      ).QueueUrl;
      urls.fifo = (
        await send(
          new sdk.CreateQueueCommand({
            QueueName: names.fifo,
            Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '60' },
            tags: { team: 'orders' },
          }),
        )
      ).QueueUrl;
      assert.equal(urls.fifo, `${s.url}/000000000000/${names.fifo}`);
      const fifo = (await send(new sdk.GetQueueAttributesCommand({ QueueUrl: urls.fifo, AttributeNames: ['All'] }))).Attributes;
      assert.equal(fifo.FifoQueue, 'true');
      assert.equal(fifo.ContentBasedDeduplication, 'true');
      assert.equal(fifo.QueueArn, arnOf(names.fifo));
      const standard = (await send(new sdk.GetQueueAttributesCommand({ QueueUrl: urls.standard, AttributeNames: ['RedrivePolicy'] })))
        .Attributes;
      assert.deepEqual(JSON.parse(standard.RedrivePolicy), { deadLetterTargetArn: arnOf(names.dlq), maxReceiveCount: 1 });
      const sources = await send(new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: urls.dlq }));
      assert.deepEqual(sources.queueUrls, [urls.standard]);
    });

    it('sends a single message and a batch with String, Number, Binary and custom-typed attributes', async () => {
      const single = await send(
        new sdk.SendMessageCommand({
          QueueUrl: urls.fifo,
          MessageBody: SINGLE_BODY,
          MessageGroupId: GROUP_ID,
          MessageAttributes: SINGLE_ATTRIBUTES,
        }),
      );
      // The SDK itself rejects a wrong MD5OfMessageBody; the attribute MD5 is checked here.
      assert.equal(single.MD5OfMessageBody, expectedBodyMd5(SINGLE_BODY));
      assert.equal(single.MD5OfMessageAttributes, expectedAttributesMd5(SINGLE_ATTRIBUTES));
      assert.match(single.SequenceNumber ?? '', /^\d+$/);
      const batch = await send(
        new sdk.SendMessageBatchCommand({
          QueueUrl: urls.fifo,
          Entries: BATCH.map((entry) => ({
            Id: entry.id,
            MessageBody: entry.body,
            MessageGroupId: GROUP_ID,
            MessageAttributes: entry.attributes,
          })),
        }),
      );
      assert.deepEqual(batch.Failed ?? [], []);
      assert.deepEqual(
        batch.Successful.map((entry: CurrentSdk.SendMessageBatchResultEntry) => [entry.Id, entry.MD5OfMessageBody, entry.MD5OfMessageAttributes]),
        BATCH.map((entry) => [entry.id, expectedBodyMd5(entry.body), expectedAttributesMd5(entry.attributes)]),
      );
    });

    it('receives them in order with all attributes, every MD5 matching', async () => {
      const out = await send(
        new sdk.ReceiveMessageCommand({
          QueueUrl: urls.fifo,
          MaxNumberOfMessages: 10,
          ...systemNames(['All']),
          MessageAttributeNames: ['All'],
        }),
      );
      received = out.Messages ?? [];
      assert.equal(received.length, 4);
      const messages = received.map(toScenarioMessage);
      assertReceived(messages[0]!, SINGLE_BODY, SINGLE_ATTRIBUTES);
      BATCH.forEach((entry, i) => assertReceived(messages[i + 1]!, entry.body, entry.attributes));
      for (const message of messages) {
        for (const name of FIFO_SYSTEM_ATTRIBUTES) assert.ok(message.attributes[name], `system attribute ${name}`);
        assert.equal(message.attributes.MessageGroupId, GROUP_ID);
        assert.equal(message.attributes.SenderId, CLIENT_KEY.accessKeyId);
      }
      assert.deepEqual([...(messages[0]!.messageAttributes.blob?.BinaryValue ?? [])], [...ALL_BYTES]);
      // While its messages are in flight the FIFO group is locked.
      const again = await send(new sdk.ReceiveMessageCommand({ QueueUrl: urls.fifo, MessageAttributeNames: ['All'] }));
      assert.equal(again.Messages, undefined);
    });

    it('changes visibility, alone and in a batch, then deletes in a batch', async () => {
      const [first, ...rest] = received;
      await send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl: urls.fifo, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 120 }));
      const changed = await send(
        new sdk.ChangeMessageVisibilityBatchCommand({
          QueueUrl: urls.fifo,
          Entries: rest.map((message, i) => ({ Id: `c${i}`, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 90 })),
        }),
      );
      assert.equal(changed.Successful?.length, 3);
      assert.deepEqual(changed.Failed ?? [], []);
      // Past the queue's 60 s but within the new timeouts: still invisible.
      s.clock.advance(70_000);
      const inFlight = (await send(new sdk.GetQueueAttributesCommand({ QueueUrl: urls.fifo, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] })))
        .Attributes;
      assert.equal(inFlight.ApproximateNumberOfMessagesNotVisible, '4');
      const deleted = await send(
        new sdk.DeleteMessageBatchCommand({
          QueueUrl: urls.fifo,
          Entries: received.map((message, i) => ({ Id: `d${i}`, ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      assert.deepEqual(deleted.Successful?.map((entry: { Id: string }) => entry.Id), ['d0', 'd1', 'd2', 'd3']);
      assert.deepEqual(deleted.Failed ?? [], []);
    });

    it('tags and untags a queue', async () => {
      await send(new sdk.TagQueueCommand({ QueueUrl: urls.fifo, Tags: { env: 'dev', note: TEXT_TAG } }));
      assert.deepEqual((await send(new sdk.ListQueueTagsCommand({ QueueUrl: urls.fifo }))).Tags, { team: 'orders', env: 'dev', note: TEXT_TAG });
      await send(new sdk.UntagQueueCommand({ QueueUrl: urls.fifo, TagKeys: ['env', 'note'] }));
      assert.deepEqual((await send(new sdk.ListQueueTagsCommand({ QueueUrl: urls.fifo }))).Tags, { team: 'orders' });
    });

    it('lists the queues a page at a time', async () => {
      const pages: string[][] = [];
      for await (const page of sdk.paginateListQueues({ client, pageSize: 1 }, { QueueNamePrefix: names.prefix })) {
        pages.push(page.QueueUrls ?? []);
      }
      assert.deepEqual(pages, [[urls.dlq], [urls.fifo], [urls.standard]]);
      const all = await send(new sdk.ListQueuesCommand({ QueueNamePrefix: names.prefix }));
      assert.equal(all.NextToken, undefined);
      assert.equal(all.QueueUrls.length, 3);
    });

    it('purges a queue', async () => {
      await send(new sdk.SendMessageCommand({ QueueUrl: urls.standard, MessageBody: 'to be purged' }));
      await send(new sdk.PurgeQueueCommand({ QueueUrl: urls.standard }));
      const counts = (await send(new sdk.GetQueueAttributesCommand({ QueueUrl: urls.standard, AttributeNames: ['ApproximateNumberOfMessages'] })))
        .Attributes;
      assert.equal(counts.ApproximateNumberOfMessages, '0');
    });

    it('moves a dead-lettered message back with a message move task', async () => {
      const sent = await send(new sdk.SendMessageCommand({ QueueUrl: urls.standard, MessageBody: 'poison' }));
      await send(new sdk.ReceiveMessageCommand({ QueueUrl: urls.standard, VisibilityTimeout: 0 }));
      // maxReceiveCount is 1: the second receive moves it to the DLQ instead of returning it.
      assert.equal((await send(new sdk.ReceiveMessageCommand({ QueueUrl: urls.standard }))).Messages, undefined);
      const dead = (await send(new sdk.ReceiveMessageCommand({ QueueUrl: urls.dlq, VisibilityTimeout: 0, ...systemNames(['All']) }))).Messages;
      assert.equal(dead?.[0]?.MessageId, sent.MessageId);
      assert.equal(dead?.[0]?.Attributes?.DeadLetterQueueSourceArn, arnOf(names.standard));
      const { TaskHandle } = await send(new sdk.StartMessageMoveTaskCommand({ SourceArn: arnOf(names.dlq) }));
      assert.ok(TaskHandle);
      s.clock.advance(1_000);
      const [task] = (await send(new sdk.ListMessageMoveTasksCommand({ SourceArn: arnOf(names.dlq) }))).Results;
      assert.equal(task.Status, 'COMPLETED');
      assert.equal(task.ApproximateNumberOfMessagesMoved, 1);
      const back = (await send(new sdk.ReceiveMessageCommand({ QueueUrl: urls.standard }))).Messages;
      assert.equal(back?.[0]?.MessageId, sent.MessageId);
      assert.equal(back?.[0]?.Body, 'poison');
      await send(new sdk.DeleteMessageCommand({ QueueUrl: urls.standard, ReceiptHandle: back[0].ReceiptHandle }));
    });

    it('sees the right code for each common error', async () => {
      const cases: Record<CommonErrorKey, () => Promise<unknown>> = {
        queueDoesNotExist: () => send(new sdk.GetQueueUrlCommand({ QueueName: `${names.prefix}-missing` })),
        queueAlreadyExists: () =>
          send(new sdk.CreateQueueCommand({ QueueName: names.standard, Attributes: { VisibilityTimeout: '5' } })),
        invalidParameterValue: () => send(new sdk.ReceiveMessageCommand({ QueueUrl: urls.standard, MaxNumberOfMessages: 11 })),
        missingParameter: () => send(new sdk.SendMessageCommand({ QueueUrl: urls.standard, MessageBody: '' })),
        receiptHandleIsInvalid: () => send(new sdk.DeleteMessageCommand({ QueueUrl: urls.standard, ReceiptHandle: 'garbage' })),
        batchEntryIdsNotDistinct: () =>
          send(
            new sdk.SendMessageBatchCommand({
              QueueUrl: urls.standard,
              Entries: [
                { Id: 'same', MessageBody: 'a' },
                { Id: 'same', MessageBody: 'b' },
              ],
            }),
          ),
        invalidAttributeName: () =>
          send(new sdk.GetQueueAttributesCommand({ QueueUrl: urls.standard, AttributeNames: ['NoSuchAttribute' as 'All'] })),
        purgeQueueInProgress: () => send(new sdk.PurgeQueueCommand({ QueueUrl: urls.standard })),
      };
      for (const [key, call] of Object.entries(cases) as Array<[CommonErrorKey, () => Promise<unknown>]>) {
        await assertSdkError(call(), COMMON_ERRORS[key]);
      }
    });

    it(`spoke the ${options.protocol} protocol in every request`, () => {
      assert.ok(protocols.length > 30, `${protocols.length} requests recorded`);
      assert.deepEqual([...new Set(protocols)], [options.protocol]);
      client.destroy();
    });
  });

  describe(`${options.label}: against a server with --auth`, () => {
    const s: ClientServer = useClientServer({ isAuthRequired: true });

    it('passes with a listed key, in the protocol it speaks', async () => {
      for (const key of [CLIENT_KEY, OTHER_KEY]) {
        const client = options.makeClient(sdk, s.url, key);
        const protocols = recordProtocols(client);
        const name = `${options.clientName}-auth-${key.accessKeyId.toLowerCase()}`;
        const { QueueUrl } = await client.send(new sdk.CreateQueueCommand({ QueueName: name }));
        await client.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: 'signed', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } }));
        const out = await client.send(new sdk.ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));
        assert.equal(out.Messages?.[0]?.Body, 'signed');
        assert.deepEqual([...new Set(protocols)], [options.protocol]);
        client.destroy();
      }
    });

    it('sees InvalidClientTokenId for an unknown key and SignatureDoesNotMatch for a wrong secret', async () => {
      const stranger = options.makeClient(sdk, s.url, { accessKeyId: 'AKIASTRANGER0000000', secretAccessKey: CLIENT_KEY.secretAccessKey });
      await assertSdkError(stranger.send(new sdk.ListQueuesCommand({})), { code: 'InvalidClientTokenId', status: 403 });
      stranger.destroy();
      const wrong = options.makeClient(sdk, s.url, { accessKeyId: CLIENT_KEY.accessKeyId, secretAccessKey: 'not-the-secret' });
      await assertSdkError(wrong.send(new sdk.ListQueuesCommand({})), { code: 'SignatureDoesNotMatch', status: 403 });
      wrong.destroy();
    });
  });
}

/** A tag value with non-ASCII text (tags are UTF-8 too). */
const TEXT_TAG = 'Ünïcødé ✓';

/** Client options every scenario client shares: static credentials, one attempt (the first answer is the one tested). */
export function baseClientConfig(credentials: { accessKeyId: string; secretAccessKey: string }) {
  return { region: CLIENT_REGION, credentials, maxAttempts: 1 } as const;
}
