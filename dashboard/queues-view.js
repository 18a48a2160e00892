/**
 * @module dashboard/queues-view: every queue with its counts, rates and DLQ; the selected queue's depth and rate
 * charts, settings, FIFO message groups (locked or not, backlog) and a peek at its oldest messages (read without
 * receiving: no group is locked, no receive count changes).
 */
import { admin, seg } from './api.js';
import { LiveChart } from './charts.js';
import { fmtBytes, fmtInt, fmtNum, fmtSeconds, fmtStamp, h, replaceUnlessSelecting, selectableRow } from './dom.js';

const PEEK = 20;
const GROUPS = 50;

/** The badges of a queue: type, and DLQ when other queues redrive to it. */
export function queueBadges(q) {
  return [
    h('span', { class: `badge ${q.isFifo ? 'fifo' : 'std'}`, text: q.isFifo ? 'FIFO' : 'Standard' }),
    q.deadLetterSources.length > 0 ? h('span', { class: 'badge dlq', text: 'DLQ' }) : null,
  ];
}

/** The peek table (oldest first), shared with the dead-letter view. */
export function peekTable(detail, testId) {
  if (detail.peek.length === 0) return h('p', { class: 'empty', text: 'No messages.' });
  const headings = ['#', 'Message ID', detail.isFifo ? 'Group' : null, detail.isFifo ? 'Sequence number' : null, 'State', 'Receives', 'Sent', 'Body'];
  const rows = detail.peek.map((m, i) =>
    h(
      'tr',
      { 'data-message-id': m.messageId },
      h('td', { class: 'num muted', text: i + 1 }),
      h('td', { class: 'mono', text: m.messageId }),
      detail.isFifo ? h('td', { class: 'mono', text: m.messageGroupId ?? '' }) : null,
      detail.isFifo ? h('td', { class: 'mono muted small', text: m.sequenceNumber ?? '' }) : null,
      h('td', {}, h('span', { class: `state ${m.state}`, text: m.state === 'inFlight' ? 'in flight' : m.state })),
      h('td', { class: 'num', text: m.receiveCount }),
      h('td', { class: 'mono muted', text: fmtStamp(m.sentAt) }),
      // The mark comes first: the cell's ellipsis would hide it at the end.
      h('td', { class: 'body mono', title: m.body }, m.isBodyTruncated ? h('span', { class: 'truncated', text: `${fmtBytes(m.bodyLength)}, first ${fmtInt(m.body.length)} characters shown` }) : null, m.body),
    ),
  );
  return h(
    'div',
    { class: 'scroll tall' },
    h('table', { class: 'grid peek', 'data-testid': testId }, h('thead', {}, h('tr', {}, headings.filter(Boolean).map((t) => h('th', { text: t })))), h('tbody', {}, rows)),
  );
}

/** A link that selects queue `name` (its row and detail). */
export function queueLink(name) {
  // Its own click and Enter, not the row's (which would select the row's queue instead).
  const own = (event) => event.stopPropagation();
  return h('a', { href: `#queues/${encodeURIComponent(name)}`, class: 'qlink', text: name, onclick: own, onkeydown: own });
}

function joined(nodes) {
  return nodes.flatMap((node, i) => (i === 0 ? [node] : [', ', node]));
}

/** The DLQ column: where a queue's failures go, or which queues send theirs here, as links. */
function dlqLinks(q) {
  if (q.deadLetter) return ['→ ', queueLink(q.deadLetter.targetName), ` (after ${q.deadLetter.maxReceiveCount})`];
  if (q.deadLetterSources.length > 0) return ['← ', ...joined(q.deadLetterSources.map(queueLink))];
  return '–';
}

function settingRows(q) {
  const a = q.attributes;
  const rows = [
    ['Visibility timeout', fmtSeconds(a.VisibilityTimeout)],
    ['Delivery delay', fmtSeconds(a.DelaySeconds)],
    ['Retention', fmtSeconds(a.MessageRetentionPeriod)],
    ['Receive wait', fmtSeconds(a.ReceiveMessageWaitTimeSeconds)],
    ['Max message size', fmtBytes(Number(a.MaximumMessageSize))],
  ];
  if (q.isFifo) {
    rows.push(['Content-based dedup', a.ContentBasedDeduplication === 'true' ? 'on' : 'off']);
    rows.push(['Dedup scope / throughput', `${a.DeduplicationScope} / ${a.FifoThroughputLimit}`]);
  }
  rows.push(['Dead-letter queue', q.deadLetter ? [queueLink(q.deadLetter.targetName), ` after ${q.deadLetter.maxReceiveCount} receives`] : 'none']);
  if (q.deadLetterSources.length > 0) rows.push(['DLQ of', joined(q.deadLetterSources.map(queueLink))]);
  rows.push(['Sent / received / deleted', `${fmtInt(q.totals.sent)} / ${fmtInt(q.totals.received)} / ${fmtInt(q.totals.deleted)} since start`]);
  rows.push(['URL', q.url]);
  return rows;
}

/** The queues tab. */
export class QueuesView {
  constructor(root, { onSelect }) {
    this.root = root;
    this.onSelect = onSelect;
    this.selected = undefined;
    this.tiles = h('div', { class: 'tiles' });
    this.tableBody = h('tbody');
    this.table = h(
      'table',
      { class: 'grid queues', 'data-testid': 'queue-table' },
      h(
        'thead',
        {},
        h('tr', {}, [
          h('th', { text: 'Queue' }),
          ...['Available', 'In flight', 'Delayed', 'Sent/s', 'Received/s', 'Deleted/s'].map((t) => h('th', { class: 'num', text: t })),
          h('th', { text: 'Dead-letter queue' }),
        ]),
      ),
      this.tableBody,
    );
    this.title = h('h2');
    this.subtitle = h('div', { class: 'muted mono small' });
    const depth = h('div', { 'data-testid': 'chart-depth' });
    const rates = h('div', { 'data-testid': 'chart-rates' });
    this.settings = h('dl', { class: 'settings' });
    this.groups = h('div', { 'data-testid': 'groups' });
    this.peek = h('div');
    this.detail = h(
      'section',
      { class: 'card', 'data-testid': 'queue-detail' },
      h('div', { class: 'detail-head' }, this.title, this.subtitle),
      h('div', { class: 'charts two' }, depth, rates),
      h('div', { class: 'columns' }, h('div', {}, h('h3', { text: 'Settings' }), this.settings), h('div', { class: 'groups-box' }, h('h3', { text: 'Message groups' }), this.groups)),
      h('h3', { text: `Oldest messages (peek, read without receiving)` }),
      this.peek,
    );
    this.filter = '';
    this.filterInput = h('input', {
      type: 'search',
      class: 'queue-filter',
      placeholder: 'Filter queues by name',
      'aria-label': 'Filter queues by name',
      'data-testid': 'queue-filter',
      oninput: () => {
        this.filter = this.filterInput.value.trim().toLowerCase();
        if (this.lastQueues !== undefined) this.renderList(this.lastQueues);
      },
    });
    root.append(this.tiles, h('section', { class: 'card' }, h('h2', { text: 'Queues' }), this.filterInput, h('div', { class: 'wide-scroll' }, this.table)), this.detail);
    this.depthChart = new LiveChart(depth, {
      title: 'Messages',
      series: [
        { key: 'visible', label: 'Available', isFilled: true },
        { key: 'inFlight', label: 'In flight' },
        { key: 'delayed', label: 'Delayed' },
      ],
    });
    this.rateChart = new LiveChart(rates, {
      title: 'Rates (messages/s)',
      unit: '',
      series: [
        { key: 'sent', label: 'Sent' },
        { key: 'received', label: 'Received' },
        { key: 'deleted', label: 'Deleted' },
      ],
    });
  }

  /** Renders the list; returns the selected queue (chosen: the first that is no DLQ when none is). */
  renderList(queues) {
    this.lastQueues = queues;
    if (this.selected === undefined || !queues.some((q) => q.name === this.selected)) {
      this.selected = (queues.find((q) => q.deadLetterSources.length === 0) ?? queues[0])?.name;
      // The URL named a queue that is gone (deleted while shown): name the one shown instead, without a history entry.
      if (this.selected !== undefined && location.hash.startsWith('#queues/')) history.replaceState(null, '', `#queues/${encodeURIComponent(this.selected)}`);
    }
    const sum = (key) => queues.reduce((n, q) => n + q[key], 0);
    const dlqMessages = queues.filter((q) => q.deadLetterSources.length > 0).reduce((n, q) => n + q.visible + q.inFlight, 0);
    const tile = (label, value, cls = '') => h('div', { class: `tile ${cls}` }, h('div', { class: 'tile-value', text: value }), h('div', { class: 'tile-label', text: label }));
    this.tiles.replaceChildren(
      tile('queues', fmtInt(queues.length)),
      tile('available', fmtInt(sum('visible')), 'blue'),
      tile('in flight', fmtInt(sum('inFlight')), 'amber'),
      tile('delayed', fmtInt(sum('delayed')), 'violet'),
      tile('in dead-letter queues', fmtInt(dlqMessages), dlqMessages > 0 ? 'red' : ''),
    );
    if (queues.length === 0) {
      this.tableBody.replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'empty', text: 'No queues yet. Create one with any SQS client.' })));
      return undefined;
    }
    const shown = this.filter === '' ? queues : queues.filter((q) => q.name.toLowerCase().includes(this.filter));
    if (shown.length === 0) {
      this.tableBody.replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'empty', text: `No queue name contains "${this.filter}".` })));
      return this.selected;
    }
    this.tableBody.replaceChildren(
      ...shown.map((q) =>
        h(
          'tr',
          { 'data-queue': q.name, class: q.name === this.selected ? 'selected' : '', ...selectableRow(q.name === this.selected, () => this.onSelect(q.name)) },
          h('td', {}, h('span', { class: 'qname', text: q.name }), ' ', queueBadges(q)),
          h('td', { class: 'num', 'data-field': 'visible', text: fmtInt(q.visible) }),
          h('td', { class: 'num', 'data-field': 'inFlight', text: fmtInt(q.inFlight) }),
          h('td', { class: 'num', 'data-field': 'delayed', text: fmtInt(q.delayed) }),
          h('td', { class: 'num', 'data-field': 'sent', text: fmtNum(q.rates.sent) }),
          h('td', { class: 'num', 'data-field': 'received', text: fmtNum(q.rates.received) }),
          h('td', { class: 'num', 'data-field': 'deleted', text: fmtNum(q.rates.deleted) }),
          h('td', { class: 'muted' }, dlqLinks(q)),
        ),
      ),
    );
    return this.selected;
  }

  /** Loads and renders the selected queue's detail and history. */
  async refreshDetail() {
    const name = this.selected;
    if (name === undefined) {
      this.detail.hidden = true;
      return;
    }
    this.detail.hidden = false;
    const [detail, history] = await Promise.all([admin(`queues/${seg(name)}`, { peek: PEEK, groups: GROUPS }), admin(`queues/${seg(name)}/history`)]);
    if (name !== this.selected) return;
    this.title.replaceChildren(h('span', { text: detail.name }), ' ', ...queueBadges(detail).filter(Boolean));
    this.subtitle.textContent = `${fmtInt(detail.visible)} available · ${fmtInt(detail.inFlight)} in flight · ${fmtInt(detail.delayed)} delayed`;
    this.depthChart.update(history);
    this.rateChart.update(history);
    replaceUnlessSelecting(this.settings, ...settingRows(detail).flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
    replaceUnlessSelecting(this.groups, ...this.groupList(detail));
    replaceUnlessSelecting(this.peek, peekTable(detail, 'peek'));
  }

  groupList(detail) {
    if (!detail.groups) return [h('p', { class: 'empty', text: 'Standard queue: no message groups.' })];
    const { total, locked, listed } = detail.groups;
    const head = h('p', { class: 'muted small', 'data-testid': 'group-summary' }, `${fmtInt(total)} groups with messages · ${fmtInt(locked)} locked by in-flight messages`, listed.length < total ? ` · showing ${fmtInt(listed.length)}` : '');
    if (listed.length === 0) return [head];
    return [
      head,
      h(
        'div',
        { class: 'scroll' },
        h(
          'table',
          { class: 'grid compact' },
          h('thead', {}, h('tr', {}, h('th', { text: 'Group' }), h('th', { class: 'num', text: 'Messages' }), h('th', { class: 'num', text: 'In flight' }), h('th', { text: 'State' }))),
          h(
            'tbody',
            {},
            listed.map((g) =>
              h(
                'tr',
                { 'data-group': g.groupId },
                h('td', { class: 'mono', text: g.groupId }),
                h('td', { class: 'num', text: fmtInt(g.backlog) }),
                h('td', { class: 'num', text: fmtInt(g.inFlight) }),
                h('td', {}, h('span', { class: `lock ${g.isLocked ? 'locked' : 'open'}`, text: g.isLocked ? 'locked' : 'receivable' })),
              ),
            ),
          ),
        ),
      ),
    ];
  }
}
