/** @module bench/text-table: renders the bench's tables as padded text (terminal) or Markdown (README). */

/** A column: its title and which side its cells line up on. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/** Renders `rows` under `columns`; `markdown` gives a GitHub pipe table, otherwise padded plain text. */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, style: 'text' | 'markdown'): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (text: string, i: number): string =>
    columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  if (style === 'markdown') {
    const line = (cells: readonly string[]) => `| ${cells.map((c, i) => pad(c, i)).join(' | ')} |`;
    const rule = `|${columns.map((c, i) => (c.align === 'right' ? `${'-'.repeat(widths[i]! + 1)}:` : `${'-'.repeat(widths[i]! + 2)}`)).join('|')}|`;
    return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
  }
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, i)).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `12345.6` → `12,346`: thousands separators, no decimals. */
export function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A fixed number of decimals, or `-` when there is no value. */
export function formatFixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** Bytes as MB (10^6), one decimal. */
export function formatMb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 1e6).toFixed(1)} MB`;
}
