/**
 * @module dashboard/dlq-view: every dead-letter queue with its messages (peeked, not received) and a button that moves
 * them back to their source queues with a message move task (StartMessageMoveTask without a destination, as the SQS
 * console's "DLQ redrive" does), showing the task's progress as ListMessageMoveTasks reports it.
 */
import { admin, seg, sqs } from './api.js';
import { LiveChart } from './charts.js';
import { fmtInt, fmtStamp, h } from './dom.js';
import { peekTable, queueBadges } from './queues-view.js';

const PEEK = 20;

function taskView(task) {
  if (!task) return h('p', { class: 'muted small', 'data-testid': 'move-task', text: 'No redrive has run for this queue yet.' });
  const total = Math.max(task.approximateNumberOfMessagesToMove, task.approximateNumberOfMessagesMoved, 1);
  const percent = Math.min(100, Math.round((100 * task.approximateNumberOfMessagesMoved) / total));
  return h(
    'div',
    { class: 'task', 'data-testid': 'move-task', 'data-status': task.status, 'data-moved': task.approximateNumberOfMessagesMoved },
    h(
      'div',
      { class: 'task-line' },
      h('span', { class: `task-status ${task.status.toLowerCase()}`, text: task.status }),
      ` ${fmtInt(task.approximateNumberOfMessagesMoved)} of ${fmtInt(task.approximateNumberOfMessagesToMove)} moved`,
      h('span', { class: 'muted small', text: ` · started ${fmtStamp(task.startedAt)}${task.destinationArn ? ` · to ${task.destinationArn.split(':').pop()}` : ' · to the source queues'}` }),
    ),
    h('div', { class: 'progress' }, h('div', { class: 'progress-bar', style: `width:${percent}%` })),
    task.failureReason ? h('p', { class: 'bad small', text: `Failed: ${task.failureReason}` }) : null,
  );
}

/** The dead-letter queues tab. */
export class DlqView {
  constructor(root, { onChanged }) {
    this.root = root;
    this.onChanged = onChanged;
    this.errors = new Map();
    this.pending = new Set();
    /** Per queue: its card, its chart (kept across refreshes) and the part rebuilt each second. */
    this.cards = new Map();
    this.none = h('section', { class: 'card notice', hidden: true }, h('h2', { text: 'No dead-letter queues' }), h('p', { text: 'A queue becomes a dead-letter queue when another queue names it in its RedrivePolicy.' }));
    root.append(this.none);
  }

  /** Loads every dead-letter queue's detail and history, and renders them. */
  async refresh(queues) {
    const dlqs = queues.filter((q) => q.deadLetterSources.length > 0);
    this.none.hidden = dlqs.length > 0;
    const loaded = await Promise.all(dlqs.map((q) => Promise.all([admin(`queues/${seg(q.name)}`, { peek: PEEK, groups: 0 }), admin(`queues/${seg(q.name)}/history`)])));
    for (const [name, card] of this.cards) {
      if (!dlqs.some((q) => q.name === name)) {
        card.chart.destroy();
        card.root.remove();
        this.cards.delete(name);
      }
    }
    for (const [detail, history] of loaded) {
      const card = this.cards.get(detail.name) ?? this.createCard(detail.name);
      card.detail = detail;
      card.head.replaceChildren(...this.head(detail, card.button));
      card.body.replaceChildren(...this.body(detail));
      card.chart.update(history);
    }
  }

  createCard(name) {
    const head = h('div', { class: 'dlq-head' });
    const chartBox = h('div', { 'data-testid': 'chart-dlq' });
    const body = h('div');
    const root = h('section', { class: 'card', 'data-dlq': name }, head, h('div', { class: 'charts dlq-chart' }, chartBox), body);
    this.root.append(root);
    const chart = new LiveChart(chartBox, { title: 'Messages in this dead-letter queue', series: [{ key: 'visible', label: 'Available', isFilled: true }, { key: 'inFlight', label: 'In flight' }] });
    const card = { root, head, body, chart, detail: undefined };
    // One button for the card's life, so a refresh never swaps it out from under the pointer.
    card.button = h('button', { class: 'primary', 'data-testid': 'redrive', title: 'StartMessageMoveTask: moves every message back to the queue it came from', onclick: () => card.detail && this.redrive(card.detail) });
    this.cards.set(name, card);
    return card;
  }

  head(d, button) {
    const task = d.moveTasks?.[0];
    const isRunning = task?.status === 'RUNNING' || this.pending.has(d.name);
    button.disabled = isRunning || d.visible === 0;
    button.textContent = isRunning ? 'Redrive running…' : `Redrive ${fmtInt(d.visible)} message${d.visible === 1 ? '' : 's'} to source`;
    return [
      h('div', {}, h('h2', {}, h('span', { text: d.name }), ' ', queueBadges(d)), h('div', { class: 'muted small', text: `dead-letter queue of ${d.deadLetterSources.join(', ')}` })),
      h(
        'div',
        { class: 'dlq-counts' },
        h('div', { class: 'tile red' }, h('div', { class: 'tile-value', 'data-field': 'visible', text: fmtInt(d.visible) }), h('div', { class: 'tile-label', text: 'available' })),
        h('div', { class: 'tile amber' }, h('div', { class: 'tile-value', 'data-field': 'inFlight', text: fmtInt(d.inFlight) }), h('div', { class: 'tile-label', text: 'in flight' })),
        button,
      ),
    ];
  }

  body(d) {
    const error = this.errors.get(d.name);
    return [
      error ? h('p', { class: 'bad', 'data-testid': 'redrive-error', text: error }) : null,
      h('h3', { text: 'Latest redrive' }),
      taskView(d.moveTasks?.[0]),
      h('h3', { text: 'Messages (peek, read without receiving)' }),
      peekTable(d, 'dlq-peek'),
    ].filter(Boolean);
  }

  async redrive(d) {
    this.pending.add(d.name);
    this.errors.delete(d.name);
    try {
      await sqs('StartMessageMoveTask', { SourceArn: d.arn });
    } catch (error) {
      this.errors.set(d.name, `${error.code ?? 'Error'}: ${error.message}`);
    } finally {
      this.pending.delete(d.name);
      this.onChanged();
    }
  }
}
