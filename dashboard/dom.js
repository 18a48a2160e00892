/** @module dashboard/dom: a tiny element builder and the number and time formats the views share (no framework). */

/**
 * Builds an element. `attrs` keys: `class`, `text` (textContent), `on<event>` (listener), `data-*`, anything else as an
 * attribute; `false`/`null`/`undefined` values are skipped. Children may be strings, nodes, arrays or null. Text always
 * goes in as text, never as HTML, so message bodies and log lines cannot inject markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces `el`'s children, unless the user is selecting text inside it: the once-a-second refresh would otherwise
 * wipe the selection before it can be copied (a queue URL, a message id). It resumes once the selection is gone.
 */
export function replaceUnlessSelecting(el, ...children) {
  const selection = document.getSelection();
  if (selection !== null && !selection.isCollapsed && selection.rangeCount > 0 && el.contains(selection.getRangeAt(0).commonAncestorContainer)) return;
  el.replaceChildren(...children);
}

/** Attributes that make a clickable table row reachable and usable from the keyboard (Tab, then Enter or Space). */
export function selectableRow(isSelected, onSelect) {
  return {
    tabindex: 0,
    'aria-selected': String(isSelected),
    onclick: onSelect,
    onkeydown: (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onSelect();
    },
  };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 12,345 */
export const fmtInt = (n) => (Number.isFinite(n) ? integer.format(n) : '–');
/** 12.3 (rates, durations) */
export const fmtNum = (n) => (Number.isFinite(n) ? decimal.format(n) : '–');
/** 12.3 ms, 1.2 s */
export const fmtMs = (n) => (!Number.isFinite(n) ? '–' : n >= 1000 ? `${decimal.format(n / 1000)} s` : `${decimal.format(n)} ms`);
/** 4 d, 30 s, 5 min: an SQS duration attribute (seconds) as people read it. */
export function fmtSeconds(text) {
  const s = Number(text);
  if (!Number.isFinite(s)) return text ?? '–';
  if (s >= 86_400 && s % 3_600 === 0) return `${decimal.format(s / 86_400)} d`;
  if (s >= 3_600 && s % 60 === 0) return `${decimal.format(s / 3_600)} h`;
  if (s >= 60 && s % 60 === 0) return `${decimal.format(s / 60)} min`;
  return `${s} s`;
}
/** 14:03:07 */
export const fmtTime = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
/** 2025-01-02 14:03:07.123 */
export function fmtStamp(ms) {
  const d = new Date(ms);
  const pad = (v, n = 2) => String(v).padStart(n, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
/** 1.2 KiB */
export function fmtBytes(n) {
  if (!Number.isFinite(n)) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${decimal.format(n / 1024)} KiB`;
  return `${decimal.format(n / 1024 / 1024)} MiB`;
}
/** The queue name at the end of a queue URL. */
export const queueNameOfUrl = (url) => String(url).slice(String(url).lastIndexOf('/') + 1);
