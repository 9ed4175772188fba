/** A directed edge: `target` is built from `source`, optionally by a named pipeline. */
export interface LineageEdge {
  source: string;
  target: string;
  pipeline?: string;
}

/**
 * Dataset dependencies. Breakers propagate along it: an open breaker blocks everything
 * downstream. Pure; cycles are tolerated (each dataset is visited once).
 */
export class LineageGraph {
  private readonly down = new Map<string, Set<string>>();
  private readonly up = new Map<string, Set<string>>();

  constructor(readonly edges: readonly LineageEdge[]) {
    for (const e of edges) {
      if (!this.down.has(e.source)) this.down.set(e.source, new Set());
      if (!this.up.has(e.target)) this.up.set(e.target, new Set());
      this.down.get(e.source)!.add(e.target);
      this.up.get(e.target)!.add(e.source);
    }
  }

  private walk(start: string, next: Map<string, Set<string>>): string[] {
    const seen = new Set<string>([start]);
    const order: string[] = [];
    const queue = [start];
    while (queue.length) {
      for (const n of next.get(queue.shift()!) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        order.push(n);
        queue.push(n);
      }
    }
    return order;
  }

  /** Everything built from `dataset`, nearest first. */
  downstream(dataset: string): string[] {
    return this.walk(dataset, this.down);
  }

  /** Everything `dataset` is built from, nearest first. */
  upstream(dataset: string): string[] {
    return this.walk(dataset, this.up);
  }
}

/** Edges declared in datatrust.yml with `upstream:` on each dataset. */
export function declaredEdges(datasets: Record<string, { upstream: string[] }>): LineageEdge[] {
  return Object.entries(datasets).flatMap(([target, d]) => d.upstream.map((source) => ({ source, target })));
}
