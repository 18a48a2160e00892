/**
 * @module protocol/admin-routes: the read-only queue part of `/_admin/*` for the dashboard: every queue with its counts,
 * settings and DLQ; one queue with its FIFO groups and a peek at its oldest messages; the depth and rate history.
 * Nothing here receives a message, locks a group or changes a receive count (it reads `engine.inspectQueue`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Engine, EngineError, type MoveTaskRecord, type QueueInspection } from '../engine/index.ts';
import { AdminHttpError, adminSegments, intParam, numberParam, sendAdminError, sendJson } from './admin-http.ts';
import type { AdminRequest, AdminRouteHandler } from './http-app.ts';
import type { QueueActivity, QueueRates } from './queue-activity.ts';
import type { QueueUrls } from './queue-urls.ts';

/** Peeked message bodies are cut to this many characters (a body may be 1 MiB and the page polls every second). */
export const PEEK_BODY_CHARS = 2_000;
/** Peek size when not asked, and the most a request gets. */
export const PEEK_DEFAULT = 20;
export const PEEK_MAX = 100;
/** FIFO groups listed when not asked, and the most a request gets (the counts always cover every group). */
export const GROUPS_DEFAULT = 100;
export const GROUPS_MAX = 1_000;
/** Move tasks listed for a dead-letter queue. */
const MOVE_TASKS_LISTED = 5;

const COUNT_ATTRIBUTES = new Set(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);

/** One queue as the queue list shows it. */
export interface QueueSummary {
  name: string;
  url: string;
  arn: string;
  isFifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  /** Every other attribute as GetQueueAttributes(All) returns it. */
  attributes: Record<string, string>;
  /** Where this queue's failed messages go (its RedrivePolicy). */
  deadLetter?: { targetName: string; targetArn: string; maxReceiveCount: number };
  /** Queues whose RedrivePolicy targets this one: non-empty means this is a dead-letter queue. */
  deadLetterSources: string[];
  /** Messages per second over the last second. */
  rates: QueueRates;
  /** Messages sent / received / deleted since the server started. */
  totals: { sent: number; received: number; deleted: number };
}

/** A peeked message (the body possibly cut to {@link PEEK_BODY_CHARS}). */
export type PeekedMessage = QueueInspection['peek'][number] & { bodyLength: number; isBodyTruncated: boolean };

/** One queue in detail. */
export interface QueueDetail extends QueueSummary {
  /** FIFO only: counts over every group, and the listed groups (locked first, then the oldest). */
  groups?: {
    total: number;
    locked: number;
    listed: Array<{ groupId: string; backlog: number; inFlight: number; isLocked: boolean }>;
  };
  peek: PeekedMessage[];
  /** Dead-letter queues only: the latest message move tasks out of this queue, newest first. */
  moveTasks?: Array<Omit<MoveTaskRecord, 'taskHandle'> & { isRunning: boolean }>;
}

export interface AdminRoutesOptions {
  readonly engine: Engine;
  readonly activity: QueueActivity;
  readonly queueUrls: QueueUrls;
}

function parseRedrivePolicy(text: string | undefined): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof value.deadLetterTargetArn !== 'string') return undefined;
    return { deadLetterTargetArn: value.deadLetterTargetArn, maxReceiveCount: Number(value.maxReceiveCount) };
  } catch {
    return undefined;
  }
}

const nameOfArn = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

/**
 * The queue summaries and detail views, built from GetQueueAttributes (constant time per queue) and
 * `engine.inspectQueue` (linear in the queue's FIFO backlog only for the one queue asked about).
 */
export class QueueAdmin {
  readonly #engine: Engine;
  readonly #activity: QueueActivity;
  readonly #urls: QueueUrls;

  constructor(options: AdminRoutesOptions) {
    this.#engine = options.engine;
    this.#activity = options.activity;
    this.#urls = options.queueUrls;
  }

  /** Every queue, by name. */
  list(): QueueSummary[] {
    const attributesByName = new Map<string, Record<string, string>>();
    for (const name of this.#engine.queueNames().sort()) {
      try {
        attributesByName.set(name, this.#engine.getQueueAttributes(name, ['All']));
      } catch (error) {
        if (!(error instanceof EngineError)) throw error; // deleted meanwhile
      }
    }
    const sources = new Map<string, string[]>();
    for (const [name, attributes] of attributesByName) {
      const policy = parseRedrivePolicy(attributes['RedrivePolicy']);
      if (policy === undefined) continue;
      const target = nameOfArn(policy.deadLetterTargetArn);
      sources.set(target, [...(sources.get(target) ?? []), name]);
    }
    return [...attributesByName].map(([name, attributes]) => this.#summary(name, attributes, sources.get(name) ?? []));
  }

  /**
   * One queue with its groups and a peek.
   * @throws EngineError QueueDoesNotExist for an unknown queue.
   */
  detail(name: string, peekLimit: number, groupLimit: number): QueueDetail {
    const inspection = this.#engine.inspectQueue(name, peekLimit);
    const attributes = this.#engine.getQueueAttributes(name, ['All']);
    const sourceNames = this.#engine
      .queueNames()
      .filter((other) => {
        try {
          return parseRedrivePolicy(this.#engine.getQueueAttributes(other, ['RedrivePolicy'])['RedrivePolicy'])?.deadLetterTargetArn === inspection.arn;
        } catch {
          return false;
        }
      })
      .sort();
    const detail: QueueDetail = {
      ...this.#summary(name, attributes, sourceNames),
      // The inspection's counts are taken in the same instant as its groups and peek.
      visible: inspection.visible,
      inFlight: inspection.inFlight,
      delayed: inspection.delayed,
      peek: inspection.peek.map((message) => {
        const isBodyTruncated = message.body.length > PEEK_BODY_CHARS;
        return { ...message, body: isBodyTruncated ? message.body.slice(0, PEEK_BODY_CHARS) : message.body, bodyLength: message.body.length, isBodyTruncated };
      }),
    };
    if (inspection.groups !== undefined) {
      const groups = inspection.groups;
      let locked = 0;
      for (const group of groups) if (group.isLocked) locked++;
      // Locked groups first, then the others, each in the engine's order (oldest group first): one pass, no sort, so a
      // queue with 100,000 groups costs no more than reading them.
      const listed: typeof groups = [];
      for (const group of groups) if (group.isLocked && listed.length < groupLimit) listed.push(group);
      for (const group of groups) if (!group.isLocked && listed.length < groupLimit) listed.push(group);
      detail.groups = { total: groups.length, locked, listed };
    }
    if (sourceNames.length > 0) {
      detail.moveTasks = this.#engine
        .listMessageMoveTasks({ sourceArn: inspection.arn, maxResults: MOVE_TASKS_LISTED })
        .map(({ taskHandle, ...task }) => ({ ...task, isRunning: task.status === 'RUNNING' }));
    }
    return detail;
  }

  #summary(name: string, all: Record<string, string>, deadLetterSources: string[]): QueueSummary {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(all)) if (!COUNT_ATTRIBUTES.has(key)) attributes[key] = value;
    const summary: QueueSummary = {
      name,
      url: this.#urls.urlOf(name),
      arn: all['QueueArn'] ?? this.#engine.arnOf(name),
      isFifo: all['FifoQueue'] === 'true',
      visible: Number(all['ApproximateNumberOfMessages'] ?? 0),
      inFlight: Number(all['ApproximateNumberOfMessagesNotVisible'] ?? 0),
      delayed: Number(all['ApproximateNumberOfMessagesDelayed'] ?? 0),
      attributes,
      deadLetterSources,
      rates: this.#activity.rates(name),
      totals: { ...this.#activity.totals(name) },
    };
    const policy = parseRedrivePolicy(all['RedrivePolicy']);
    if (policy !== undefined) {
      summary.deadLetter = { targetName: nameOfArn(policy.deadLetterTargetArn), targetArn: policy.deadLetterTargetArn, maxReceiveCount: policy.maxReceiveCount };
    }
    return summary;
  }
}

/**
 * The handler of the queue routes, all GET:
 * - `/_admin/queues`: `{ now, queues: QueueSummary[] }`
 * - `/_admin/queues/<name>?peek=20&groups=100`: `QueueDetail`
 * - `/_admin/queues/<name>/history?after=<ms>`: `{ t: [...], visible: [...], inFlight, delayed, sent, received, deleted }`
 *   (one sample a second, the last ten minutes; rates in messages per second)
 *
 * Errors are JSON `{ error: { code, message } }`: 404 for an unknown path or queue, 405 for a method other than GET,
 * 400 for a bad parameter.
 */
export function createAdminRoutes(options: AdminRoutesOptions): AdminRouteHandler {
  const admin = new QueueAdmin(options);
  return (req: IncomingMessage, res: ServerResponse, request: AdminRequest) => {
    try {
      const segments = adminSegments(request.path);
      if (segments[0] !== 'queues' || segments.length > 3 || (segments.length === 3 && segments[2] !== 'history')) {
        throw AdminHttpError.notFound(`The admin path ${request.path}`);
      }
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') throw AdminHttpError.methodNotAllowed(method, 'GET');
      const params = new URLSearchParams(request.query);
      const name = segments[1];
      if (name === undefined) {
        sendJson(res, 200, { now: Date.now(), queues: admin.list() }, request.requestId);
      } else if (segments.length === 3) {
        options.engine.getQueueName(name); // 404 for an unknown queue
        sendJson(res, 200, options.activity.history(name, numberParam(params, 'after')), request.requestId);
      } else {
        const peek = intParam(params, 'peek', PEEK_DEFAULT, 0, PEEK_MAX);
        const groups = intParam(params, 'groups', GROUPS_DEFAULT, 0, GROUPS_MAX);
        sendJson(res, 200, { now: Date.now(), ...admin.detail(name, peek, groups) }, request.requestId);
      }
    } catch (error) {
      if (error instanceof AdminHttpError) return sendAdminError(res, error, request.requestId);
      if (error instanceof EngineError && error.kind === 'QueueDoesNotExist') {
        return sendAdminError(res, AdminHttpError.notFound(`The queue ${adminSegments(request.path)[1] ?? ''}`), request.requestId);
      }
      throw error;
    }
  };
}
