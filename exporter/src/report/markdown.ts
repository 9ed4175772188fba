/**
 * GitHub-flavoured Markdown helpers shared by `scan --format markdown` and `datatrust report
 * --format md`. Cells come from check names, messages and data samples: anything that could end
 * a cell or the table (pipes, newlines) or start markup (HTML) is escaped.
 */
export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
    .replace(/\r?\n/g, '<br>')
    .replace(/`/g, '\\`');
}

/** A table; `align` per column: 'l' (default) or 'r' for numbers. */
export function mdTable(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((r, i) => `| ${(i === 1 ? r : r.map(mdCell)).join(' | ')} |`).join('\n');
}
