/**
 * @module dashboard/dlq-view: every dead-letter queue with its messages (peeked, not received) and a button that moves
 * them back to their source queues with a message move task (StartMessageMoveTask without a destination, as the SQS
 * console's "DLQ redrive" does), showing the task's progress as ListMessageMoveTasks reports it.
 */
import { admin, seg, sqs } from './api.js';
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
    this.list = h('div');
    this.errors = new Map();
    this.pending = new Set();
    root.append(this.list);
  }

  /** Loads every dead-letter queue's detail and renders them. */
  async refresh(queues) {
    const dlqs = queues.filter((q) => q.deadLetterSources.length > 0);
    if (dlqs.length === 0) {
      this.list.replaceChildren(h('section', { class: 'card notice' }, h('h2', { text: 'No dead-letter queues' }), h('p', { text: 'A queue becomes a dead-letter queue when another queue names it in its RedrivePolicy.' })));
      return;
    }
    const details = await Promise.all(dlqs.map((q) => admin(`queues/${seg(q.name)}`, { peek: PEEK, groups: 0 })));
    this.list.replaceChildren(...details.map((d) => this.card(d)));
  }

  card(d) {
    const task = d.moveTasks?.[0];
    const isRunning = task?.status === 'RUNNING' || this.pending.has(d.name);
    const error = this.errors.get(d.name);
    const button = h(
      'button',
      {
        class: 'primary',
        'data-testid': 'redrive',
        disabled: isRunning || d.visible === 0,
        title: 'StartMessageMoveTask: moves every message back to the queue it came from',
        onclick: () => this.redrive(d),
      },
      isRunning ? 'Redrive running…' : `Redrive ${fmtInt(d.visible)} message${d.visible === 1 ? '' : 's'} to source`,
    );
    return h(
      'section',
      { class: 'card', 'data-dlq': d.name },
      h(
        'div',
        { class: 'dlq-head' },
        h('div', {}, h('h2', {}, h('span', { text: d.name }), ' ', queueBadges(d)), h('div', { class: 'muted small', text: `dead-letter queue of ${d.deadLetterSources.join(', ')}` })),
        h(
          'div',
          { class: 'dlq-counts' },
          h('div', { class: 'tile red' }, h('div', { class: 'tile-value', 'data-field': 'visible', text: fmtInt(d.visible) }), h('div', { class: 'tile-label', text: 'available' })),
          h('div', { class: 'tile amber' }, h('div', { class: 'tile-value', 'data-field': 'inFlight', text: fmtInt(d.inFlight) }), h('div', { class: 'tile-label', text: 'in flight' })),
          button,
        ),
      ),
      error ? h('p', { class: 'bad', 'data-testid': 'redrive-error', text: error }) : null,
      h('h3', { text: 'Latest redrive' }),
      taskView(task),
      h('h3', { text: 'Messages (peek, read without receiving)' }),
      peekTable(d, 'dlq-peek'),
    );
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
