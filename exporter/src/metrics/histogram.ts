import { histogramLines } from './exposition';

interface Series {
  counts: number[];
  sum: number;
  count: number;
  /** Rendered lines, dropped when the series changes. */
  text?: string;
}

/**
 * A histogram keyed by at most one label (`dataset`) or none. Each series caches its rendered
 * lines until its next observation: scans are rare next to scrapes.
 */
export class Histogram {
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly bounds: readonly number[],
    private readonly labelName?: string,
  ) {
    // An unlabelled histogram exists from the start, at zero, like a counter should.
    if (!labelName) this.series.set('', { counts: new Array<number>(bounds.length).fill(0), sum: 0, count: 0 });
  }

  /** Records `count` observations of `v` (more than one when replaying stored history). */
  observe(v: number, labelValue = '', count = 1): void {
    let s = this.series.get(labelValue);
    if (!s) {
      s = { counts: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 };
      this.series.set(labelValue, s);
    }
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]!) s.counts[i]! += count;
    s.sum += v * count;
    s.count += count;
    s.text = undefined;
  }

  render(): string {
    let out = '';
    for (const key of [...this.series.keys()].sort()) {
      const s = this.series.get(key)!;
      s.text ??= histogramLines(this.name, this.labelName ? [[this.labelName, key]] : [], this.bounds, s.counts, s.sum, s.count);
      out += s.text;
    }
    return out;
  }
}
