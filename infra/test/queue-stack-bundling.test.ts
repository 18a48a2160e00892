/** @module infra/test/queue-stack-bundling.test — synthesizes with real local esbuild bundling and runs the bundled consumer, as the local runtime and Lambda will. */

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/build-app.ts';

const outdir = mkdtempSync(join(tmpdir(), 'mqs-cdk-'));
after(() => rmSync(outdir, { recursive: true, force: true }));

describe('QueueStack with bundling', () => {
  it('bundles each handler with esbuild into an ESM asset that exports handler and runs on this Node', async () => {
    // Prepare: a full synth, bundling included, with the asset metadata the cdk CLI turns on (the
    // local runtime finds each function's bundle through aws:asset:path).
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = buildApp(app);
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: Record<string, any>; Metadata?: Record<string, string> }> };
    const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    assert.equal(functions.length, 3);
    const assetOf = (name: string): string => {
      const resource = functions.find((candidate) => candidate.Properties.FunctionName === name);
      const assetPath = resource?.Metadata?.['aws:asset:path'];
      assert.ok(assetPath !== undefined, `${name} has an asset`);
      return join(outdir, assetPath);
    };

    // Assess: consumer-1 and consumer-2 share one asset; each asset is a bundle exporting `handler`.
    assert.equal(assetOf('mqs-consumer-1'), assetOf('mqs-consumer-2'));
    for (const name of ['mqs-producer', 'mqs-consumer-1']) {
      const bundle = join(assetOf(name), 'index.mjs');
      assert.ok(existsSync(bundle), `${bundle} exists`);
      assert.ok(existsSync(`${bundle}.map`), 'with a source map');
      assert.match(readFileSync(bundle, 'utf8'), /export\s*\{[^}]*\bas handler\b/);
    }
    assert.match(readFileSync(join(assetOf('mqs-producer'), 'index.mjs'), 'utf8'), /SendMessageBatch/, 'the SQS client is bundled, not left to the Lambda runtime');

    // Act: load the consumer bundle the way the Node.js runtime does and give it one record.
    const consumer = (await import(pathToFileURL(join(assetOf('mqs-consumer-1'), 'index.mjs')).href)) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
    const body = JSON.stringify({ runId: 'bundle', orderId: 'order-1', seq: 1, type: 'created', sentAt: new Date().toISOString(), poison: true });
    const record = { messageId: 'm-1', receiptHandle: 'h', body, attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0', MessageGroupId: 'order-1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q.fifo', awsRegion: 'us-east-1' };
    const ok = { ...record, messageId: 'm-2', body: body.replace(',"poison":true', ''), attributes: { ...record.attributes, MessageGroupId: 'order-2' } };
    const context = { functionName: 'mqs-consumer-1', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:mqs-consumer-1', memoryLimitInMB: '256', awsRequestId: 'r-1', logGroupName: '/aws/lambda/mqs-consumer-1', logStreamName: 's', getRemainingTimeInMillis: () => 30_000 };
    const originalOut = process.stdout.write;
    const originalErr = process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let response: unknown;
    try {
      response = await consumer.handler({ Records: [record, ok] }, context);
    } finally {
      process.stdout.write = originalOut;
      process.stderr.write = originalErr;
    }
    // Assess: the poison record is reported, the other group's record is not.
    assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  });
});
