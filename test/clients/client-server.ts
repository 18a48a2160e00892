/**
 * @module test/clients/client-server: the server the client tests talk to (in process, 127.0.0.1 port 0, in memory,
 * manual clock), optionally with an `--auth` key file, and the credentials every client uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ManualClock } from '../../src/engine/clock.ts';
import { startServer } from '../../src/server/start-server.ts';

// The SDK warns once per process that it will need Node 22 in 2027; it is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export type RunningServer = Awaited<ReturnType<typeof startServer>>;

/** The key pair the clients sign with; it is the one listed in the auth file of `{ isAuthRequired: true }` servers. */
export const CLIENT_KEY = { accessKeyId: 'AKIAMQSCLIENTTEST01', secretAccessKey: 'mqs/client+test/secret/0123456789' } as const;
/** A second, valid key in the auth file (a key file may list several). */
export const OTHER_KEY = { accessKeyId: 'local', secretAccessKey: 'local-secret' } as const;
export const CLIENT_REGION = 'us-east-1';

export interface ClientServerOptions {
  /** Start with `authFile` listing CLIENT_KEY and OTHER_KEY. */
  isAuthRequired?: boolean;
  /** `publicBaseUrl`: the queue URLs handed out. */
  publicBaseUrl?: string;
}

/** A running server and its manual clock. */
export interface ClientServer {
  srv: RunningServer;
  clock: ManualClock;
  /** `srv.url` */
  url: string;
  stop(): Promise<void>;
}

/** Starts a server for client tests. Throws what `startServer` throws. */
export async function startClientServer(options: ClientServerOptions = {}): Promise<ClientServer> {
  const clock = new ManualClock();
  let dir: string | undefined;
  let authFile: string | undefined;
  if (options.isAuthRequired) {
    dir = mkdtempSync(join(tmpdir(), 'mqs-auth-'));
    authFile = join(dir, 'keys');
    writeFileSync(
      authFile,
      `# test keys\n${CLIENT_KEY.accessKeyId} ${CLIENT_KEY.secretAccessKey}\n${OTHER_KEY.accessKeyId}\t${OTHER_KEY.secretAccessKey}\n`,
    );
  }
  const srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    inMemory: true,
    clock,
    // Keep a developer's MQS_* variables out of the tests.
    env: {},
    ...(authFile ? { authFile } : {}),
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
  });
  return {
    srv,
    clock,
    url: srv.url,
    async stop() {
      await srv.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `before`/`after` hooks for one server per `describe`; read the fields inside `it`. */
export function useClientServer(options: ClientServerOptions = {}): ClientServer {
  const ctx = {} as ClientServer;
  before(async () => {
    Object.assign(ctx, await startClientServer(options));
  });
  after(async () => {
    await ctx.stop?.();
  });
  return ctx;
}
