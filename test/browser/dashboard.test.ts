/**
 * @module test/browser/dashboard: the dashboard in a real browser while the whole system runs: the SQS server, the
 * local Lambda runtime on the synthesized CDK app (the real producer and consumers), chromium on the page. It checks
 * that the counts shown are GetQueueAttributes' counts, that the charts have data, that the log tail shows an
 * invocation's START / END / REPORT lines, and that the redrive button empties the dead-letter queue.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { ensureSynth, findFunction, loadPlan, overridePlan, type Runtime, type RuntimePlan, startRuntime } from '../../src/runtime/index.ts';
import { type RunningServer, startServer } from '../../src/server/start-server.ts';
import { createTestClient } from '../helpers/start.ts';
import { launchChromium, type TestBrowser } from './chromium.ts';

/** The few page globals the functions run in the browser use (the project compiles without the DOM library). */
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  readonly body: { readonly dataset: Record<string, string | undefined> };
};

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A cold synth bundles three functions with esbuild and runs cdk-nag. */
const SYNTH_LIMIT_MS = 120_000;
/** Every wait for the page or the system is bounded by this. */
const WAIT_MS = 60_000;
const COUNT = 300;
const GROUPS = 10;
const POISON_EVERY = 60;

interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
}

async function countsOf(sqs: SQSClient, url: string): Promise<Counts> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** Re-checks `condition` every 100 ms until it holds; rejects with `what` after {@link WAIT_MS}. */
async function waitUntil(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The counts the queue table shows for `name`. */
async function shownCounts(page: Page, name: string): Promise<Counts> {
  const cell = async (field: string) => Number(((await page.locator(`tr[data-queue="${name}"] td[data-field="${field}"]`).textContent()) ?? '').replaceAll(',', ''));
  return { visible: await cell('visible'), inFlight: await cell('inFlight'), delayed: await cell('delayed') };
}

/** Waits until the table shows exactly `expected` for `name` (the page refreshes once a second). */
async function waitForShownCounts(page: Page, name: string, expected: Counts): Promise<void> {
  await page.waitForFunction(
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    ({ queue, want }) =>
      (['visible', 'inFlight', 'delayed'] as const).every(
        (field) => Number(document.querySelector(`tr[data-queue="${queue}"] td[data-field="${field}"]`)?.textContent?.replaceAll(',', '') ?? NaN) === want[field],
      ),
    { queue: name, want: expected },
    { timeout: WAIT_MS },
  );
}

/** Each series' maximum in a chart (the chart writes it on its container). */
async function chartMax(page: Page, testId: string): Promise<Record<string, number>> {
  const text = await page.locator(`[data-testid="${testId}"]`).getAttribute('data-max');
  return JSON.parse(text ?? '{}') as Record<string, number>;
}

/** The plan with the producer logging in Text format, where Lambda writes START / END / REPORT lines. */
function withTextLogs(plan: RuntimePlan, functionName: string): RuntimePlan {
  return { ...plan, functions: plan.functions.map((fn) => (fn.name === functionName ? { ...fn, logging: { ...fn.logging, format: 'Text' as const } } : fn)) };
}

describe('the dashboard while server, runtime and functions run', { timeout: SYNTH_LIMIT_MS + 6 * WAIT_MS }, () => {
  let server: RunningServer;
  let runtime: Runtime;
  let sqs: SQSClient;
  let browser: TestBrowser;
  let producer: string;
  let queue: { name: string; url: string };
  let dlq: { name: string; url: string };
  let dlqCountAfterRun = 0;

  before(async () => {
    // First, so a machine without chromium fails at once with the message that says what to install.
    browser = await launchChromium();
    const synth = await ensureSynth({ cwd: ROOT });
    let plan = loadPlan({ cdkOut: synth.cdkOut });
    producer = findFunction(plan, 'producer').name;
    const consumers = plan.mappings.map((mapping) => mapping.functionName);
    // 30 ms per message: the backlog lasts a few seconds, so the once-a-second samples see it.
    plan = overridePlan(withTextLogs(plan, producer), { functions: Object.fromEntries(consumers.map((name) => [name, { environment: { WORK_MS: '30' } }])) });
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, env: {} });
    runtime = await startRuntime({ plan, endpoint: server.url });
    assert.ok(server.dashboard, 'the server serves the dashboard');
    server.dashboard.attachRuntime(runtime);
    sqs = createTestClient(server.url);
    const main = plan.queues.find((candidate) => candidate.dependsOn.length === 1);
    const dead = plan.queues.find((candidate) => candidate.dependsOn.length === 0);
    assert.ok(main && dead);
    const binding = (logicalId: string) => {
      const found = runtime.bindings.queues.get(logicalId);
      assert.ok(found, logicalId);
      return { name: found.name, url: found.url };
    };
    queue = binding(main.logicalId);
    dlq = binding(dead.logicalId);
    // Poison messages reach the DLQ after maxReceiveCount (3) receives: 2 s apart instead of 180.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: '2' } }));
  });

  after(async () => {
    await browser?.close();
    sqs?.destroy();
    await runtime?.stop({ force: true });
    await server?.stop();
  });

  it('charts the depth and the rates while the consumers drain what the producer sent', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#queues/${encodeURIComponent(queue.name)}`);
    await page.locator(`tr[data-queue="${dlq.name}"]`).waitFor({ timeout: WAIT_MS });
    const invoked = await runtime.invoke(producer, { count: COUNT, groups: GROUPS, poisonEvery: POISON_EVERY });
    assert.equal(invoked.status, 'success', JSON.stringify(invoked.error));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart-depth"]')?.getAttribute('data-points')) > 2, undefined, { timeout: WAIT_MS });
    await browser.screenshot('queues-draining');
    await waitUntil('the queue drained into deletions and the DLQ', async () => {
      const [main, dead] = await Promise.all([countsOf(sqs, queue.url), countsOf(sqs, dlq.url)]);
      dlqCountAfterRun = dead.visible;
      return main.visible + main.inFlight + main.delayed === 0 && dead.visible >= COUNT / POISON_EVERY;
    });
    // The samples of the seconds that saw the backlog and the traffic.
    await page.waitForFunction(
      () => {
        const max = JSON.parse(document.querySelector('[data-testid="chart-rates"]')?.getAttribute('data-max') ?? '{}') as Record<string, number>;
        return (max['sent'] ?? 0) > 0 && (max['received'] ?? 0) > 0 && (max['deleted'] ?? 0) > 0;
      },
      undefined,
      { timeout: WAIT_MS },
    );
    const depth = await chartMax(page, 'chart-depth');
    assert.ok((depth['visible'] ?? 0) > 0, `the depth chart saw available messages: ${JSON.stringify(depth)}`);
    assert.ok((depth['inFlight'] ?? 0) > 0, `the depth chart saw messages in flight: ${JSON.stringify(depth)}`);
    const rates = await chartMax(page, 'chart-rates');
    assert.ok((rates['sent'] ?? 0) > 0 && (rates['received'] ?? 0) > 0 && (rates['deleted'] ?? 0) > 0, JSON.stringify(rates));
    await browser.screenshot('queues-after-run');
    assert.deepEqual(browser.pageErrors, []);
  });

  it('shows the counts GetQueueAttributes reports, without receiving anything itself', async () => {
    const { page } = browser;
    // Quiet: no consumer takes messages now, so the counts stand still.
    for (const mapping of runtime.plan.mappings) await runtime.setMappingEnabled(mapping.logicalId, false);
    const sent = await runtime.invoke(producer, { count: 40, groups: 4 });
    assert.equal(sent.status, 'success', JSON.stringify(sent.error));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 3, VisibilityTimeout: 600 }));
    assert.equal(received.Messages?.length, 3);
    const { QueueUrl: delaysUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dashboard-delays' }));
    assert.ok(delaysUrl);
    await sqs.send(new SendMessageCommand({ QueueUrl: delaysUrl, MessageBody: 'now' }));
    for (const body of ['later-1', 'later-2']) await sqs.send(new SendMessageCommand({ QueueUrl: delaysUrl, MessageBody: body, DelaySeconds: 600 }));

    await page.goto(`${server.url}/#queues/${encodeURIComponent(queue.name)}`);
    const queues = [
      { name: queue.name, url: queue.url },
      { name: dlq.name, url: dlq.url },
      { name: 'dashboard-delays', url: delaysUrl },
    ];
    for (const { name, url } of queues) {
      const expected = await countsOf(sqs, url);
      await waitForShownCounts(page, name, expected);
      assert.deepEqual(await shownCounts(page, name), expected, name);
    }
    assert.deepEqual(await countsOf(sqs, queue.url), { visible: 37, inFlight: 3, delayed: 0 });
    assert.deepEqual(await countsOf(sqs, delaysUrl), { visible: 1, inFlight: 0, delayed: 2 });
    // The group of the received messages is locked; the peek shows them in flight, received once (not by the page).
    await page.waitForFunction(() => document.querySelector('[data-testid="groups"] .lock.locked') !== null, undefined, { timeout: WAIT_MS });
    const inFlightRows = page.locator('[data-testid="peek"] .state.inFlight');
    assert.ok((await inFlightRows.count()) >= 1);
    // Several refreshes later nothing was received by the page: still 3 in flight, and the others never received.
    const rounds = Number(await page.locator('body').getAttribute('data-rounds'));
    await page.waitForFunction((start) => Number(document.body.dataset['rounds']) >= start + 3, rounds, { timeout: WAIT_MS });
    assert.deepEqual(await countsOf(sqs, queue.url), { visible: 37, inFlight: 3, delayed: 0 });
    await browser.screenshot('queues-counts');
    assert.deepEqual(browser.pageErrors, []);
  });

  it("tails the START, END and REPORT lines of an invocation that just ran, and charts the functions' work", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#functions`);
    await page.locator('[data-testid="function-table"] tbody tr').first().waitFor({ timeout: WAIT_MS });
    await page.locator('[data-testid="log-function"]').selectOption(producer);
    await page.locator('[data-testid="log-tail"] .log-line, [data-testid="log-tail"] .log-empty').first().waitFor({ timeout: WAIT_MS });
    const invoked = await runtime.invoke(producer, { count: 1, groups: 1 });
    assert.equal(invoked.status, 'success', JSON.stringify(invoked.error));
    const requestId = 'requestId' in invoked.outcome ? invoked.outcome.requestId : '';
    assert.ok(requestId);
    for (const kind of ['START', 'END', 'REPORT']) {
      await page
        .locator('[data-testid="log-tail"] .log-line', { hasText: `${kind} RequestId: ${requestId}` })
        .first()
        .waitFor({ timeout: WAIT_MS });
    }
    const kinds = await page.locator('[data-testid="log-tail"] .log-line', { hasText: requestId }).evaluateAll((lines) => lines.map((line) => line.getAttribute('data-kind')));
    assert.deepEqual(
      kinds.filter((kind) => kind !== ''),
      ['START', 'END', 'REPORT'],
    );
    // The filter narrows the tail to the lines that contain the text.
    await page.locator('[data-testid="log-filter"]').fill(`REPORT RequestId: ${requestId}`);
    await page.waitForFunction(
      (id) => {
        const lines = [...document.querySelectorAll('[data-testid="log-tail"] .log-line')];
        return lines.length === 1 && lines[0]!.textContent!.includes(`REPORT RequestId: ${id}`);
      },
      requestId,
      { timeout: WAIT_MS },
    );
    await page.locator('[data-testid="log-filter"]').fill('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-tail"] .log-line').length > 3, undefined, { timeout: WAIT_MS });

    // The consumers' counters match the runtime's, and their charts saw invocations.
    const consumer = runtime.plan.mappings[0]!.functionName;
    await page.locator(`tr[data-function="${consumer}"]`).click();
    const stats = runtime.stats().functions.find((fn) => fn.name === consumer);
    assert.ok(stats && stats.invocations > 0);
    await page.waitForFunction(
      ({ name, invocations }) => document.querySelector(`tr[data-function="${name}"] td[data-field="invocations"]`)?.textContent?.replaceAll(',', '') === String(invocations),
      { name: consumer, invocations: stats.invocations },
      { timeout: WAIT_MS },
    );
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart-invocations"]')?.getAttribute('data-points')) > 0, undefined, { timeout: WAIT_MS });
    const invocations = await chartMax(page, 'chart-invocations');
    assert.ok((invocations['invocations'] ?? 0) > 0, JSON.stringify(invocations));
    const concurrency = await chartMax(page, 'chart-concurrency');
    assert.ok((concurrency['concurrency'] ?? 0) > 0, JSON.stringify(concurrency));
    const duration = await chartMax(page, 'chart-duration');
    assert.ok((duration['p99DurationMs'] ?? 0) > 0, JSON.stringify(duration));
    const states = await page.locator('[data-testid="mapping-table"] [data-field="state"]').allTextContents();
    assert.deepEqual(states, runtime.plan.mappings.map(() => 'Disabled'));
    await browser.screenshot('functions');
    assert.deepEqual(browser.pageErrors, []);
  });

  it('moves the dead-letter queue back to its source with the redrive button, showing the progress', async () => {
    const { page } = browser;
    const before = await countsOf(sqs, dlq.url);
    assert.ok(before.visible >= COUNT / POISON_EVERY && before.visible === dlqCountAfterRun, JSON.stringify(before));
    const source = await countsOf(sqs, queue.url);
    await page.goto(`${server.url}/#dlq`);
    const card = page.locator(`[data-dlq="${dlq.name}"]`);
    await card.locator('[data-testid="dlq-peek"]').waitFor({ timeout: WAIT_MS });
    await browser.screenshot('dlq-before');
    const button = card.locator('[data-testid="redrive"]');
    await button.click();
    await card.locator('[data-testid="move-task"][data-status="COMPLETED"]').waitFor({ timeout: WAIT_MS });
    assert.equal(Number(await card.locator('[data-testid="move-task"]').getAttribute('data-moved')), before.visible);
    await page.waitForFunction((name) => document.querySelector(`[data-dlq="${name}"] [data-field="visible"]`)?.textContent === '0', dlq.name, { timeout: WAIT_MS });
    assert.deepEqual(await countsOf(sqs, dlq.url), { visible: 0, inFlight: 0, delayed: 0 });
    assert.equal((await countsOf(sqs, queue.url)).visible, source.visible + before.visible);
    assert.equal(await button.isDisabled(), true, 'nothing left to redrive');
    // The DLQ's chart covers the run: the messages that arrived, then none.
    const dlqChart = await chartMax(page, 'chart-dlq');
    assert.ok((dlqChart['visible'] ?? 0) >= before.visible, JSON.stringify(dlqChart));
    await browser.screenshot('dlq-after');
    assert.deepEqual(browser.pageErrors, []);
  });
});
