/** @module cli/start/describe-system: the lines `mqs start` prints once the system is up (where things are, what runs). */
import { resolve } from 'node:path';
import { describeUnsupported } from '../../runtime/index.ts';
import type { LocalSystem } from './local-system.ts';
import type { RunChoice } from './start-settings.ts';

/** SQS FIFO's deduplication interval. */
const DEDUP_WINDOW_MS = 5 * 60_000;

/** The dashboard page: the server's own when it serves one, else `<endpoint>/`, where it lives. */
export function dashboardUrlOf(system: LocalSystem): string {
  const server: { readonly url: string; readonly dashboardUrl?: string | undefined } = system.server;
  return server.dashboardUrl ?? `${server.url}/`;
}

/** The header: endpoint, dashboard, data, queue, consumers, then anything not emulated and the runtime's warnings. */
export function describeSystem(system: LocalSystem, choice: RunChoice, runId: string): string[] {
  const { server, queue, synth } = system;
  const label = (name: string) => name.padEnd(11);
  const synthText = synth.synthesized ? `synthesized the CDK app in ${(synth.ms / 1000).toFixed(1)} s` : 'cloud assembly up to date';
  const settings = choice.settings;
  const lines = [
    `${label('synth')}${synthText} (${synth.cdkOut})`,
    `${label('endpoint')}${server.url}   (any SQS client: AWS_ENDPOINT_URL_SQS=${server.url})`,
    `${label('dashboard')}${dashboardUrlOf(system)}`,
    `${label('data')}${server.dataDir === undefined ? 'in memory (nothing is kept after exit)' : `${resolve(server.dataDir)} (queues, logs and run.json survive a restart)`}`,
    `${label('queue')}${queue.name}${queue.dlq === undefined ? '' : ` → ${queue.dlq.name} after ${queue.dlq.maxReceiveCount} receives`}; visibility timeout ${queue.visibilityTimeoutSeconds} s`,
    `${label('consumers')}${system.consumers.join(', ')}: batch ${system.batchSize}, MaximumConcurrency ${system.maximumConcurrency ?? 'default'}, ` +
      `WORK_MS=${settings.workMs}, FAILURE_RATE=${settings.failureRate}`,
  ];
  const unsupported = describeUnsupported(system.plan);
  if (unsupported !== undefined) lines.push(`${label('note')}${unsupported}`);
  for (const warning of system.runtime.warnings) lines.push(`${label('warning')}${warning}`);
  const poison = settings.poisonEvery === undefined ? '' : `, every ${settings.poisonEvery}th poisoned`;
  const size = `${settings.messages.toLocaleString('en-US')} messages in ${settings.groups.toLocaleString('en-US')} groups${poison}`;
  if (choice.kind === 'new') {
    lines.push(`${label('run')}${runId}: ${size} (new)`);
  } else {
    const ageMs = Date.now() - Date.parse(choice.run.createdAt);
    // FIFO deduplication drops a repeated MessageDeduplicationId for 5 minutes after the first send, no longer.
    const dedup = ageMs < DEDUP_WINDOW_MS ? 'SQS drops the repeats' : 'more than 5 minutes after the first send, so SQS may accept repeats';
    const state = choice.run.state === 'producing' ? `the producer was interrupted: sending again with the same runId; ${dedup}` : 'already sent: waiting for it to drain';
    lines.push(`${label('run')}${runId}: ${size}, resumed (${state})`);
    if (choice.run.session !== undefined) {
      // The last process died without stopping (SIGKILL, crash): what it had received is in flight until it times out.
      lines.push(`${label('')}the last session did not stop cleanly: messages it had in flight come back after the visibility timeout (${queue.visibilityTimeoutSeconds} s)`);
    }
  }
  for (const note of choice.notes) lines.push(`${label('note')}${note}`);
  const hasFailures = settings.failureRate > 0 || settings.poisonEvery !== undefined;
  if (hasFailures && queue.visibilityTimeoutSeconds > 10) {
    lines.push(`${label('note')}failed messages come back after the visibility timeout (${queue.visibilityTimeoutSeconds} s); --visibility-timeout 5 makes retries quicker to watch`);
  }
  return lines;
}
