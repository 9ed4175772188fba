/** Renders rows as aligned columns; the last column is left unpadded. Pure. */
export function textTable(header: string[], rows: string[][], maxWidths: number[] = []): string {
  const clip = (s: string, i: number) => {
    const max = maxWidths[i];
    return max && s.length > max ? s.slice(0, max - 1) + '…' : s;
  };
  const all = [header, ...rows].map((r) => r.map(clip));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
