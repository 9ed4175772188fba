import { formatDuration } from '../checks/duration';
import type { ColumnProfile, DatasetProfile } from './profileModel';

const count = (n: number) => n.toLocaleString('en-US');
/** Grouped thousands, at most 4 decimals. */
const short = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 4 });
const percent = (p: number) => (p === 0 ? '0%' : p < 0.01 ? '<0.01%' : `${Number(p.toFixed(2))}%`);

export function distinctText(c: ColumnProfile): string {
  if (!c.distinct) return '-';
  return `${c.distinct.approximate ? '~' : ''}${count(c.distinct.count)}`;
}

/** What a profile says about a dataset, as scans read it (filter, sample). */
export function profileHeadline(p: DatasetProfile): string {
  const scope = [p.filter ? `filter: ${p.filter}` : '', p.samplePercent ? `${p.samplePercent}% sample` : ''].filter(Boolean).join(', ');
  return `${p.dataset} (${p.source}: ${p.relation})${scope ? ` [${scope}]` : ''}: ${count(p.rowCount)} rows, ${p.columns.length} columns, profiled ${p.profiledAt}`;
}

function range(c: ColumnProfile): string {
  if (c.min === undefined && c.max === undefined) return '';
  const show = (v: number | string | undefined) => (v === undefined ? '?' : typeof v === 'number' ? short(v) : v);
  return `${show(c.min)} … ${show(c.max)}`;
}

function details(c: ColumnProfile): string {
  const parts: string[] = [];
  if (c.mean !== undefined) parts.push(`mean ${short(c.mean)}`);
  if (c.newestAgeSeconds !== undefined) parts.push(`newest ${formatDuration(Math.max(0, c.newestAgeSeconds))} old`);
  if (c.length) parts.push(`length ${c.length.min === c.length.max ? c.length.min : `${c.length.min}–${c.length.max}`}`);
  if (c.format) parts.push(`format ${c.format.name} (${percent(c.format.matchPercent)})`);
  if (c.topValues?.length) parts.push(`top: ${c.topValues.slice(0, 5).map((t) => `${t.value} (${count(t.count)})`).join(', ')}`);
  return parts.join('; ');
}

/** The profile as a table: one line per column. `~` marks estimated distinct counts. */
export function formatProfileText(p: DatasetProfile, table: (header: string[], rows: string[][], widths?: number[]) => string): string {
  const rows = p.columns.map((c) => [c.name, c.type, percent(c.nullPercent), distinctText(c), range(c), details(c)]);
  const legend = p.columns.some((c) => c.distinct?.approximate) ? '\n~ estimated distinct count (HyperLogLog)' : '';
  return `${profileHeadline(p)}\n\n${table(['column', 'type', 'null', 'distinct', 'min … max', 'details'], rows, [32, 24, 8, 12, 48])}${legend}\n`;
}
