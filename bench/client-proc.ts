/**
 * @module bench/client-proc: a client worker process: runs SDK workload phases on request, so the bench can put
 * client loops on every core and keep its own process out of the measurement.
 *
 * Started by bench/client-pool.ts through bench/child-rpc.ts.
 */
import { serveRpc } from './child-rpc.ts';
import {
  type BenchClient,
  createBenchClient,
  createBenchQueue,
  type QueueKind,
  receiveDeletePhase,
  sendPhase,
} from './sdk-workload.ts';

const clients = new Map<string, BenchClient>();

/** One client per endpoint and concurrency, kept across phases so its sockets and JIT stay warm. */
function clientFor(endpoint: string, concurrency: number): BenchClient {
  const key = `${endpoint} ${concurrency}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = createBenchClient(endpoint, concurrency);
    clients.set(key, client);
  }
  return client;
}

serveRpc(async (request) => {
  const endpoint = String(request['endpoint']);
  const concurrency = Number(request['concurrency'] ?? 1);
  switch (request.op) {
    case 'createQueue':
      return createBenchQueue(clientFor(endpoint, 1).sqs, String(request['name']), request['kind'] as QueueKind);
    case 'send':
      return sendPhase(clientFor(endpoint, concurrency).sqs, String(request['queueUrl']), request['kind'] as QueueKind, {
        total: Number(request['total']),
        concurrency,
        runTag: String(request['runTag']),
      });
    case 'receiveDelete':
      return receiveDeletePhase(clientFor(endpoint, concurrency).sqs, String(request['queueUrl']), {
        total: Number(request['total']),
        concurrency,
      });
    case 'forget':
      // The server at `endpoint` is going away: drop its clients and sockets.
      for (const [key, client] of clients) {
        if (key.startsWith(`${endpoint} `)) {
          client.destroy();
          clients.delete(key);
        }
      }
      return undefined;
    default:
      throw new Error(`unknown op ${request.op}`);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
