/**
 * Inline SVG charts for the report: no script, no network, crisp in print. Every mark carries
 * its number in a `data-value` attribute and as visible text, so what a reader sees can be
 * checked against the state it came from.
 */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const W = 640;
const H = 230;
const PAD = { left: 56, right: 16, top: 18, bottom: 34 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

export interface ReferenceLine {
  value: number;
  label: string;
  className: string;
}

function scale(min: number, max: number): (v: number) => number {
  const span = max - min || 1;
  return (v) => PAD.top + plotH - ((Math.min(max, Math.max(min, v)) - min) / span) * plotH;
}

function frame(name: string, title: string, body: string[]): string {
  return `<svg class="chart" data-chart="${esc(name)}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">${body.join('')}</svg>`;
}

function axis(y: (v: number) => number, ticks: number[], format: (v: number) => string): string[] {
  return ticks.map((t) => `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text class="tick" x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(format(t))}</text>`);
}

function refLines(y: (v: number) => number, lines: readonly ReferenceLine[]): string[] {
  return lines.map(
    (l) =>
      `<g class="ref ${esc(l.className)}" data-value="${l.value}"><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(l.value).toFixed(1)}" y2="${y(l.value).toFixed(1)}"/><text x="${W - PAD.right - 4}" y="${(y(l.value) - 4).toFixed(1)}" text-anchor="end">${esc(l.label)}</text></g>`,
  );
}

/** Round axis bounds and ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering [min, max]. */
export function niceAxis(min: number, max: number, n = 4): { min: number; max: number; ticks: number[] } {
  const raw = (max - min || Math.abs(max) || 1) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw * 0.999)!;
  const lo = Math.floor(min / step + 1e-9) * step;
  const count = Math.max(1, Math.ceil((max - lo) / step - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((lo + i * step).toPrecision(12)));
  return { min: ticks[0]!, max: ticks[ticks.length - 1]!, ticks };
}

/** One bar per category; null values leave a labelled gap ("no data"). */
export function barChart(opts: { name: string; title: string; bars: { label: string; value: number | null; text: string }[]; min: number; max: number; format: (v: number) => string; lines?: ReferenceLine[] }): string {
  const ax = niceAxis(opts.min, opts.max);
  const y = scale(ax.min, ax.max);
  const step = plotW / Math.max(1, opts.bars.length);
  const bw = Math.min(56, step * 0.6);
  const body = [...axis(y, ax.ticks, opts.format)];
  opts.bars.forEach((b, i) => {
    const cx = PAD.left + step * i + step / 2;
    body.push(`<text class="label" x="${cx.toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(b.label)}</text>`);
    if (b.value === null) {
      body.push(`<text class="nodata" x="${cx.toFixed(1)}" y="${(PAD.top + plotH / 2).toFixed(1)}" text-anchor="middle">no data</text>`);
      return;
    }
    const top = y(b.value);
    body.push(
      `<rect class="bar" data-label="${esc(b.label)}" data-value="${b.value}" x="${(cx - bw / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(1, PAD.top + plotH - top).toFixed(1)}"/>`,
      `<text class="value" x="${cx.toFixed(1)}" y="${(top - 5).toFixed(1)}" text-anchor="middle">${esc(b.text)}</text>`,
    );
  });
  body.push(...refLines(y, opts.lines ?? []));
  return frame(opts.name, opts.title, body);
}

/** Lines over categories (weeks); a null breaks the line, and a lone point still shows as a dot. */
export function lineChart(opts: { name: string; title: string; labels: string[]; series: { name: string; className: string; values: (number | null)[]; text: (v: number) => string }[]; min: number; max: number; format: (v: number) => string; lines?: ReferenceLine[] }): string {
  const ax = niceAxis(opts.min, opts.max);
  const y = scale(ax.min, ax.max);
  const step = plotW / Math.max(1, opts.labels.length);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const body = [...axis(y, ax.ticks, opts.format), ...refLines(y, opts.lines ?? [])];
  opts.labels.forEach((l, i) => body.push(`<text class="label" x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(l)}</text>`));
  for (const s of opts.series) {
    let path = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      path += `${path && s.values[i - 1] !== null && i > 0 ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    });
    body.push(`<g class="series ${esc(s.className)}" data-series="${esc(s.name)}"><path d="${path.trim()}"/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      body.push(`<circle data-label="${esc(opts.labels[i]!)}" data-value="${v}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5"/><text class="value" x="${x(i).toFixed(1)}" y="${(y(v) - 7).toFixed(1)}" text-anchor="middle">${esc(s.text(v))}</text>`);
    });
    body.push('</g>');
  }
  return frame(opts.name, opts.title, body);
}

/** A horizontal gauge 0–100% with a target mark; `value` undefined draws an empty, labelled track. */
export function gauge(opts: { name: string; title: string; value?: number; target: number }): string {
  const w = 640;
  const h = 44;
  const track = w - 180;
  const fill = opts.value === undefined ? 0 : Math.max(0, Math.min(1, opts.value)) * track;
  const text = opts.value === undefined ? 'not measured yet' : `${(opts.value * 100).toFixed(1)}%`;
  const tx = 10 + opts.target * track;
  return `<svg class="chart gauge" data-chart="${esc(opts.name)}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(opts.title)}" xmlns="http://www.w3.org/2000/svg"><rect class="track" x="10" y="12" width="${track}" height="18" rx="3"/>${
    opts.value === undefined ? '' : `<rect class="bar${opts.value >= opts.target ? ' ok' : ' below'}" data-value="${opts.value}" x="10" y="12" width="${fill.toFixed(1)}" height="18" rx="3"/>`
  }<line class="target" x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="6" y2="36"/><text class="tick" x="${tx.toFixed(1)}" y="44" text-anchor="middle">target ${(opts.target * 100).toFixed(0)}%</text><text class="value${opts.value === undefined ? ' nodata' : ''}" x="${track + 24}" y="26">${esc(text)}</text></svg>`;
}
