/** @module test/helpers/start: one embedded SQS server per test file, on port 0, driven by a manual clock. */
import { after, before } from 'node:test';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/engine/clock.ts';
import type { ServerSettingsInput } from '../../src/server/config.ts';
import { startServer } from '../../src/server/start-server.ts';

// The SDK warns once per process that it will need Node 22 in 2027; it is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** What `startServer` resolves to. */
export type RunningServer = Awaited<ReturnType<typeof startServer>>;

/** A started server, the clock it runs on, and an SDK client pointed at it. */
export interface TestServer {
  srv: RunningServer;
  clock: ManualClock;
  sqs: SQSClient;
  /** Destroys the client, then stops the server. */
  stop(): Promise<void>;
}

/** The static credentials and region every test client uses (the server accepts any signature). */
export const TEST_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
} as const;

/**
 * Builds an SQS client for `url`. Retries are off so a failing server shows its first answer, not the
 * third.
 */
export function createTestClient(url: string): SQSClient {
  return new SQSClient({ ...TEST_CLIENT_CONFIG, endpoint: url, maxAttempts: 1 });
}

/**
 * Starts an in-memory server on 127.0.0.1 port 0 with a fresh `ManualClock`, plus any other `settings`.
 * Throws whatever `startServer` throws (e.g. when it cannot bind).
 */
export async function startTestServer(settings: ServerSettingsInput = {}): Promise<TestServer> {
  const clock = new ManualClock();
  // `env: {}` keeps a developer's MQS_* variables out of the tests.
  const srv = await startServer({ ...settings, port: 0, host: '127.0.0.1', inMemory: true, clock, env: {} });
  const sqs = createTestClient(srv.url);
  let isStopped = false;
  return {
    srv,
    clock,
    sqs,
    async stop() {
      if (isStopped) return;
      isStopped = true;
      sqs.destroy();
      await srv.stop();
    },
  };
}

/**
 * Registers `before`/`after` hooks in the enclosing `describe` that start and stop one server, and returns
 * an object whose fields are filled in once `before` has run (read them inside `it`, not at describe time).
 */
export function useTestServer(settings: ServerSettingsInput = {}): TestServer {
  const ctx = {} as TestServer;
  before(async () => {
    Object.assign(ctx, await startTestServer(settings));
  });
  after(async () => {
    await ctx.stop?.();
  });
  return ctx;
}
