/**
 * @module dashboard/functions-view: the local Lambda runtime's functions (invocations, errors, throttles, duration
 * average and p99, concurrency over time), its event source mappings, and a live tail of the functions' logs with a
 * filter (START / END / REPORT and the platform records included). Shows a notice when no runtime is attached
 * (`mqs server` alone).
 */
import { admin, seg } from './api.js';
import { LiveChart } from './charts.js';
import { fmtInt, fmtMs, fmtStamp, h, queueNameOfUrl, selectableRow } from './dom.js';

/** Lines kept in the tail. */
const TAIL_LINES = 1_000;

/** START / END / REPORT / INIT_START in Text format, or platform.* records in JSON format. */
export function platformKind(message) {
  const text = message.trimStart();
  const plain = /^(INIT_START|START|END|REPORT) /.exec(text);
  if (plain) return plain[1];
  if (text.startsWith('{"time"') && text.includes('"type":"platform.')) {
    const type = /"type":"platform\.([A-Za-z]+)"/.exec(text)?.[1];
    return { start: 'START', report: 'REPORT', initStart: 'INIT_START', runtimeDone: 'END' }[type] ?? type?.toUpperCase();
  }
  return undefined;
}

function levelOf(message) {
  const m = /"level":"([A-Z]+)"/.exec(message) ?? /\t(ERROR|WARN|INFO|DEBUG)\t/.exec(message);
  return m?.[1];
}

/** The functions tab. */
export class FunctionsView {
  constructor(root, { onSelect }) {
    this.root = root;
    this.onSelect = onSelect;
    this.selected = undefined;
    /** The tail's state; `generation` changes whenever the function, stream or filter does. */
    this.tail = { generation: 0, lastId: undefined, count: 0 };
    this.tailLoading = undefined;
    this.streamsAt = 0;
    this.notice = h('div', { class: 'card notice', 'data-testid': 'no-runtime', hidden: true }, h('h2', { text: 'No functions here' }), h('p', {}, 'No local Lambda runtime is attached to this server: ', h('code', { text: 'mqs server' }), ' runs the queues only. Run ', h('code', { text: 'mqs start' }), ' to see the functions, their event source mappings and their logs.'));
    this.fnBody = h('tbody');
    this.mapBody = h('tbody');
    const cols = ['Invocations', 'Errors', 'Throttles', 'Avg duration', 'p99 duration', 'Running', 'Instances', 'Cold starts'];
    this.fnTable = h('table', { class: 'grid', 'data-testid': 'function-table' }, h('thead', {}, h('tr', {}, h('th', { text: 'Function' }), ...cols.map((t) => h('th', { class: 'num', text: t })))), this.fnBody);
    const mapCols = ['Max conc.', 'In flight', 'Batches', 'Received', 'Deleted', 'Failed', 'Filtered'];
    this.mapTable = h('table', { class: 'grid', 'data-testid': 'mapping-table' }, h('thead', {}, h('tr', {}, h('th', { text: 'Event source mapping' }), h('th', { text: 'Queue → function' }), h('th', { text: 'State' }), ...mapCols.map((t) => h('th', { class: 'num', text: t })), h('th', { text: 'Last error' }))), this.mapBody);
    const invocations = h('div', { 'data-testid': 'chart-invocations' });
    const duration = h('div', { 'data-testid': 'chart-duration' });
    const concurrency = h('div', { 'data-testid': 'chart-concurrency' });
    this.chartTitle = h('h2');
    this.fnSelect = h('select', { 'data-testid': 'log-function', onchange: () => this.resetTail() });
    this.streamSelect = h('select', { 'data-testid': 'log-stream', onchange: () => this.resetTail() });
    let timer;
    this.filter = h('input', { type: 'search', placeholder: 'filter (text the line contains)', 'data-testid': 'log-filter', oninput: () => { clearTimeout(timer); timer = setTimeout(() => this.resetTail(), 250); } });
    this.follow = h('input', { type: 'checkbox', checked: true, 'data-testid': 'log-follow' });
    this.logBox = h('div', { class: 'log', 'data-testid': 'log-tail', role: 'log', 'aria-live': 'off' });
    this.body = h(
      'div',
      {},
      h('section', { class: 'card' }, h('h2', { text: 'Functions' }), this.fnTable),
      h('section', { class: 'card' }, this.chartTitle, h('div', { class: 'charts three' }, invocations, duration, concurrency)),
      h('section', { class: 'card' }, h('h2', { text: 'Event source mappings' }), this.mapTable),
      h(
        'section',
        { class: 'card' },
        h('div', { class: 'log-head' }, h('h2', { text: 'Logs' }), h('div', { class: 'log-controls' }, this.fnSelect, this.streamSelect, this.filter, h('label', { class: 'small' }, this.follow, ' follow'))),
        this.logBox,
      ),
    );
    root.append(this.notice, this.body);
    this.invocationChart = new LiveChart(invocations, { title: 'Invocations/s', series: [{ key: 'invocations', label: 'Invocations', isFilled: true }, { key: 'errors', label: 'Errors' }, { key: 'throttles', label: 'Throttles' }] });
    this.durationChart = new LiveChart(duration, { title: 'Duration (ms)', series: [{ key: 'avgDurationMs', label: 'Average' }, { key: 'p99DurationMs', label: 'p99' }] });
    this.concurrencyChart = new LiveChart(concurrency, { title: 'Concurrency', isStepped: true, series: [{ key: 'concurrency', label: 'Running' }, { key: 'instances', label: 'Instances' }] });
  }

  /** Loads everything the tab shows. */
  async refresh() {
    const overview = await admin('functions');
    this.notice.hidden = overview.isAttached;
    this.body.hidden = !overview.isAttached;
    if (!overview.isAttached) return;
    const { functions, mappings } = overview;
    if (this.selected === undefined || !functions.some((f) => f.name === this.selected)) {
      this.selected = (functions.find((f) => mappings.some((m) => m.functionName === f.name)) ?? functions[0])?.name;
    }
    this.renderFunctions(functions);
    this.renderMappings(mappings);
    this.renderLogChoices(functions);
    await Promise.all([this.refreshCharts(), this.refreshTail(), this.refreshStreams()]);
  }

  renderFunctions(functions) {
    this.fnBody.replaceChildren(
      ...functions.map((f) =>
        h(
          'tr',
          { 'data-function': f.name, class: f.name === this.selected ? 'selected' : '', ...selectableRow(f.name === this.selected, () => this.onSelect(f.name)) },
          h('td', {}, h('span', { class: 'qname', text: f.name }), f.role ? h('span', { class: 'badge std', text: f.role }) : null),
          h('td', { class: 'num', 'data-field': 'invocations', text: fmtInt(f.invocations) }),
          h('td', { class: `num ${f.errors > 0 ? 'bad' : ''}`, 'data-field': 'errors', text: fmtInt(f.errors) }),
          h('td', { class: `num ${f.throttles > 0 ? 'warn' : ''}`, 'data-field': 'throttles', text: fmtInt(f.throttles) }),
          h('td', { class: 'num', 'data-field': 'avg', text: fmtMs(f.avgDurationMs) }),
          h('td', { class: 'num', 'data-field': 'p99', text: fmtMs(f.p99DurationMs) }),
          h('td', { class: 'num', 'data-field': 'running', text: fmtInt(f.concurrentExecutions) }),
          h('td', { class: 'num', text: fmtInt(f.instances) }),
          h('td', { class: 'num', text: fmtInt(f.coldStarts) }),
        ),
      ),
    );
  }

  renderMappings(mappings) {
    if (mappings.length === 0) {
      this.mapBody.replaceChildren(h('tr', {}, h('td', { colspan: 11, class: 'empty', text: 'No event source mappings.' })));
      return;
    }
    this.mapBody.replaceChildren(
      ...mappings.map((m) =>
        h(
          'tr',
          { 'data-mapping': m.id },
          h('td', { class: 'mono', text: m.id }),
          h('td', {}, `${queueNameOfUrl(m.queueUrl)} → ${m.functionName}`),
          h('td', {}, h('span', { class: `state ${m.state === 'Enabled' ? 'visible' : 'delayed'}`, 'data-field': 'state', text: m.state })),
          ...[m.maximumConcurrency, m.inFlightBatches, m.batches, m.receivedMessages, m.deletedMessages, m.failedMessages, m.filteredMessages].map((v) => h('td', { class: 'num', text: fmtInt(v) })),
          h('td', { class: 'muted small', text: m.lastError ?? '' }),
        ),
      ),
    );
  }

  renderLogChoices(functions) {
    const names = ['', ...functions.map((f) => f.name)];
    const current = [...this.fnSelect.options].map((o) => o.value);
    if (current.join('\n') !== names.join('\n')) {
      const value = this.fnSelect.value || this.selected || '';
      this.fnSelect.replaceChildren(...names.map((n) => h('option', { value: n, text: n === '' ? 'all functions' : n })));
      this.fnSelect.value = names.includes(value) ? value : '';
      this.resetTail();
    }
  }

  async refreshCharts() {
    const name = this.selected;
    if (name === undefined) return;
    this.chartTitle.textContent = name;
    const history = await admin(`functions/${seg(name)}/history`);
    if (name !== this.selected) return;
    this.invocationChart.update(history);
    this.durationChart.update(history);
    this.concurrencyChart.update(history);
  }

  async refreshStreams() {
    const fn = this.fnSelect.value;
    if (!fn) {
      if (this.streamSelect.options.length !== 1) {
        this.streamSelect.replaceChildren(h('option', { value: '', text: 'all streams' }));
      }
      this.streamSelect.disabled = true;
      return;
    }
    if (Date.now() - this.streamsAt < 5_000 && this.streamsFor === fn) return;
    this.streamsAt = Date.now();
    this.streamsFor = fn;
    const { streams } = await admin(`functions/${seg(fn)}/streams`);
    const value = this.streamSelect.value;
    this.streamSelect.disabled = false;
    this.streamSelect.replaceChildren(h('option', { value: '', text: `all streams (${streams.length})` }), ...streams.map((s) => h('option', { value: s.stream, text: `${s.stream} · ${fmtInt(s.events)} events` })));
    this.streamSelect.value = streams.some((s) => s.stream === value) ? value : '';
  }

  /** Starts the tail over (another function, stream or filter). */
  resetTail() {
    this.tail = { generation: this.tail.generation + 1, lastId: undefined, count: 0 };
    this.logBox.replaceChildren();
    if (!this.fnSelect.value) this.streamSelect.value = '';
    this.streamsAt = 0;
    // Show the new selection now rather than at the next round.
    this.refreshTail().catch(() => undefined);
    this.refreshStreams().catch(() => undefined);
  }

  /** Appends what the log has after the last line shown; one load at a time, and again at once if the choice changed meanwhile. */
  async refreshTail() {
    if (this.tailLoading) return this.tailLoading;
    const generation = this.tail.generation;
    this.tailLoading = this.loadTail(generation).finally(() => {
      this.tailLoading = undefined;
      if (this.tail.generation !== generation) this.refreshTail().catch(() => undefined);
    });
    return this.tailLoading;
  }

  async loadTail(generation) {
    const fn = this.fnSelect.value;
    const params = { function: fn, stream: fn ? this.streamSelect.value : '', filter: this.filter.value, afterId: this.tail.lastId };
    const { events, lastId, hasGap } = await admin('logs', params);
    if (generation !== this.tail.generation) return; // another function, stream or filter meanwhile
    if (lastId !== undefined) this.tail.lastId = lastId;
    if (events.length === 0 && !hasGap) {
      if (this.logBox.childElementCount === 0) this.logBox.append(h('div', { class: 'log-empty', text: 'No log events yet.' }));
      return;
    }
    this.logBox.querySelector('.log-empty')?.remove();
    const isAtBottom = this.logBox.scrollHeight - this.logBox.scrollTop - this.logBox.clientHeight < 40;
    const fragment = document.createDocumentFragment();
    if (hasGap && this.tail.count > 0) fragment.append(h('div', { class: 'log-gap', text: '… more lines arrived than the tail shows at once; skipped to the newest' }));
    for (const event of events) fragment.append(this.line(event));
    this.logBox.append(fragment);
    this.tail.count += events.length;
    while (this.logBox.childElementCount > TAIL_LINES) this.logBox.firstElementChild.remove();
    if (this.follow.checked && (isAtBottom || this.tail.count === events.length)) this.logBox.scrollTop = this.logBox.scrollHeight;
  }

  line(event) {
    const message = event.message.endsWith('\n') ? event.message.slice(0, -1) : event.message;
    const kind = platformKind(message);
    const level = levelOf(message);
    const fn = event.group.replace(/^\/aws\/lambda\//, '');
    return h(
      'div',
      { class: `log-line ${kind ? `platform ${kind.toLowerCase()}` : ''} ${level ? `level-${level.toLowerCase()}` : ''}`, 'data-kind': kind ?? '' },
      h('span', { class: 'log-time', text: fmtStamp(event.timestamp).slice(11) }),
      h('span', { class: 'log-fn', title: `${event.group} ${event.stream}`, text: fn }),
      kind ? h('span', { class: 'log-kind', text: kind }) : null,
      h('span', { class: 'log-msg', text: message }),
    );
  }
}

