/** @module cli/verify/format-report: a verification report as the lines `mqs verify` and the `mqs start` summary print. */
import type { DlqEntry, VerificationReport } from './run-verifier.ts';

/** How many violations / DLQ entries are listed before "… and N more". */
const DEFAULT_LIST_LIMIT = 20;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `order-2 #85–#89, order-4 #44, …`: the DLQ's messages as ranges per group. */
function describeDlq(entries: readonly DlqEntry[], limit: number): string {
  const ranges: string[] = [];
  let open: { group: string; from: number; to: number } | undefined;
  const close = () => {
    if (open !== undefined) ranges.push(`${open.group} ${open.from === open.to ? `#${open.from}` : `#${open.from}–#${open.to}`}`);
  };
  for (const entry of entries) {
    if (open !== undefined && open.group === entry.group && open.to + 1 === entry.sequence) {
      open.to = entry.sequence;
      continue;
    }
    close();
    open = { group: entry.group, from: entry.sequence, to: entry.sequence };
  }
  close();
  const more = ranges.length > limit ? `, … and ${ranges.length - limit} more` : '';
  return `${ranges.slice(0, limit).join(', ')}${more}`;
}

/**
 * The report as text lines (no trailing newlines). The first line is `verification PASSED: …` or
 * `verification FAILED: …`, so scripts and tests can match it.
 */
export function formatReport(report: VerificationReport, options: { limit?: number } = {}): string[] {
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  const lines: string[] = [];
  const expected = report.expected === undefined ? '?' : report.expected.toLocaleString('en-US');
  const byFunction = Object.entries(report.byFunction)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name} ${count.toLocaleString('en-US')}`)
    .join(', ');
  if (report.isPassed) {
    const groups = report.groups === undefined ? '' : ` in ${plural(report.groups, 'group')}`;
    lines.push(
      `verification PASSED: run ${report.runId}: every message sent was processed${report.dlq.length > 0 ? ' or is in the DLQ' : ''}, ` +
        `each group in sequence order, nothing processed twice except as a logged retry`,
    );
    lines.push(`  processed ${report.processed.toLocaleString('en-US')} of ${expected} messages${groups}${byFunction === '' ? '' : ` (${byFunction})`}`);
  } else {
    lines.push(`verification FAILED: run ${report.runId}: ${plural(report.violations.length, 'violation')}`);
    lines.push(`  processed ${report.processed.toLocaleString('en-US')} of ${expected} messages${byFunction === '' ? '' : ` (${byFunction})`}`);
  }
  const retries = [
    report.failedLines > 0 ? `${plural(report.failedLines, 'failure')} logged` : undefined,
    report.retriedAfterFailure > 0 ? `${plural(report.retriedAfterFailure, 'message')} processed on a retry after failing` : undefined,
    report.redeliveries > 0 ? `${plural(report.redeliveries, 'message')} processed again on a redelivery (receiveCount higher)` : undefined,
    report.duplicateLines > 0 ? `${plural(report.duplicateLines, 'redelivery', 'redeliveries')} acknowledged as duplicate` : undefined,
  ].filter((part) => part !== undefined);
  if (retries.length > 0) lines.push(`  retries: ${retries.join('; ')}`);
  if (report.dlq.length > 0) {
    const failedLast = report.dlq.filter((entry) => entry.reason === 'failed-last-receive').length;
    lines.push(
      `  in the DLQ: ${plural(report.dlq.length, 'message')} (${failedLast} failed on their last allowed receive, ` +
        `${report.dlq.length - failedLast} were skipped behind them in their batches): ${describeDlq(report.dlq, limit)}`,
    );
  }
  if (report.notSent > 0) lines.push(`  not sent by the producer: ${plural(report.notSent, 'event')} (see its send-failed warnings)`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const violation of report.violations.slice(0, limit)) lines.push(`  ${violation.kind}: ${violation.detail}`);
  if (report.violations.length > limit) lines.push(`  … and ${report.violations.length - limit} more violations`);
  return lines;
}
