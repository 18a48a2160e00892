/**
 * @module cli/start/progress-view: what `mqs start` shows while a run drains: on a terminal a frame redrawn in place
 * (log-update) with a progress bar, the queue's available / in flight / delayed counts, the DLQ and each consumer's
 * processed count; without a terminal one plain line a second. The rendering is pure (tested); the view only writes.
 */
import type { createLogUpdate } from 'log-update';
import type { RunProgress } from '../verify/run-verifier.ts';
import type { QueueDepth } from './queue-depth.ts';

/** Everything one frame shows. */
export interface ViewState {
  /** Since the run (this session) started. */
  readonly elapsedMs: number;
  readonly messages: number;
  readonly groups: number;
  readonly phase: 'producing' | 'draining' | 'drained';
  readonly progress: RunProgress;
  /** Consumers in display order, with their invocations running now. */
  readonly consumers: ReadonlyArray<{ readonly name: string; readonly running: number }>;
  readonly queueName: string;
  readonly queue?: QueueDepth;
  readonly dlqName?: string;
  /** Messages in the DLQ now, and how many arrived during this run. */
  readonly dlq?: { readonly total: number; readonly arrived: number };
}

const BAR_WIDTH = 30;
const num = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A bar of `width` cells, `fraction` (clamped to 0…1) of them full. */
export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(clamped * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

/** Messages finished (processed, or moved to the DLQ during the run) out of those expected. */
function done(state: ViewState): { finished: number; expected: number } {
  const expected = state.progress.expected ?? state.messages;
  return { finished: Math.min(expected, state.progress.processed + (state.dlq?.arrived ?? 0)), expected };
}

/** The terminal frame (several lines, no trailing newline). */
export function renderFrame(state: ViewState): string {
  const { finished, expected } = done(state);
  const percent = expected === 0 ? 100 : Math.floor((finished / expected) * 100);
  const queue = state.queue;
  const lines = [
    `run ${state.progress.runId} · ${num(state.messages)} messages in ${num(state.groups)} groups · ${state.phase} · ${seconds(state.elapsedMs)}`,
    `${progressBar(expected === 0 ? 1 : finished / expected)} ${String(percent).padStart(3)}%  ${num(state.progress.processed)}/${num(expected)} processed`,
    `queue ${state.queueName}   available ${queue === undefined ? '–' : num(queue.available)}   in flight ${queue === undefined ? '–' : num(queue.inFlight)}   delayed ${queue === undefined ? '–' : num(queue.delayed)}`,
  ];
  if (state.dlqName !== undefined) lines.push(`DLQ   ${state.dlqName}   ${state.dlq === undefined ? '–' : `${num(state.dlq.total)} messages (${num(state.dlq.arrived)} from this run)`}`);
  const nameWidth = Math.max(0, ...state.consumers.map((consumer) => consumer.name.length));
  for (const consumer of state.consumers) {
    const processed = state.progress.byFunction[consumer.name] ?? 0;
    lines.push(`${consumer.name.padEnd(nameWidth)}   processed ${num(processed).padStart(7)}   running ${consumer.running}`);
  }
  const { failedLines, retriedAfterFailure, redeliveries } = state.progress;
  if (failedLines + redeliveries > 0) {
    lines.push(`retries: ${num(failedLines)} failures logged, ${num(retriedAfterFailure)} processed after failing, ${num(redeliveries)} redelivered`);
  }
  return lines.join('\n');
}

/** One plain progress line (for logs and pipes). */
export function renderPlainLine(state: ViewState): string {
  const { expected } = done(state);
  const byFunction = state.consumers.map((consumer) => `${consumer.name} ${num(state.progress.byFunction[consumer.name] ?? 0)}`).join(', ');
  const queue = state.queue;
  const parts = [
    `[${seconds(state.elapsedMs).padStart(8)}] ${state.phase}: processed ${num(state.progress.processed)}/${num(expected)} (${byFunction})`,
    `available ${queue === undefined ? '-' : num(queue.available)}`,
    `in flight ${queue === undefined ? '-' : num(queue.inFlight)}`,
    `delayed ${queue === undefined ? '-' : num(queue.delayed)}`,
  ];
  if (state.dlqName !== undefined) parts.push(`DLQ ${state.dlq === undefined ? '-' : num(state.dlq.total)}`);
  if (state.progress.failedLines > 0) parts.push(`failures ${num(state.progress.failedLines)}`);
  return parts.join(' | ');
}

/** Where the view writes. */
export interface LiveViewOptions {
  readonly stream: NodeJS.WriteStream;
  /** Redraw in place (a terminal) or print plain lines. */
  readonly isTty: boolean;
  /** Plain mode: at most one progress line per this interval (default 1 s). */
  readonly plainIntervalMs?: number;
}

/** The live view: `update` often, `event` for a line that stays, `stop` at the end. */
export class LiveView {
  readonly #o: LiveViewOptions;
  readonly #draw: ReturnType<typeof createLogUpdate> | undefined;
  #lastFrame: string | undefined;
  #lastPlainAt = Number.NEGATIVE_INFINITY;

  private constructor(options: LiveViewOptions, draw: ReturnType<typeof createLogUpdate> | undefined) {
    this.#o = options;
    this.#draw = draw;
  }

  /** A view for the stream; log-update is loaded only for a terminal. */
  static async create(options: LiveViewOptions): Promise<LiveView> {
    if (!options.isTty) return new LiveView(options, undefined);
    const { createLogUpdate } = await import('log-update');
    return new LiveView(options, createLogUpdate(options.stream, { showCursor: false }));
  }

  /** Redraws the frame (terminal) or prints a line if the interval has passed (plain); `force` prints regardless. */
  update(state: ViewState, force = false): void {
    if (this.#draw !== undefined) {
      this.#lastFrame = renderFrame(state);
      this.#draw(this.#lastFrame);
      return;
    }
    const now = performance.now();
    // 10% slack: the caller's timer fires at about the interval, sometimes a little early.
    if (!force && now - this.#lastPlainAt < 0.9 * (this.#o.plainIntervalMs ?? 1_000)) return;
    this.#lastPlainAt = now;
    this.#o.stream.write(`${renderPlainLine(state)}\n`);
  }

  /** Prints a line that stays (above the frame on a terminal). */
  event(line: string): void {
    if (this.#draw === undefined) {
      this.#o.stream.write(`${line}\n`);
      return;
    }
    this.#draw.clear();
    this.#o.stream.write(`${line}\n`);
    if (this.#lastFrame !== undefined) this.#draw(this.#lastFrame);
  }

  /** Leaves the last frame on screen and gives the cursor back. */
  stop(): void {
    this.#draw?.done();
  }
}
