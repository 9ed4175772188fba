import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of every process, from /proc (Linux: where CI and these tests run). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last `)`.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      out.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const ppids = parents();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of ppids) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** Resident memory of one process in bytes (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the resident memory of `pid` and its descendants together until stopped; returns the peak. */
export function sampleTreeRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, processTree(pid).reduce((sum, p) => sum + rssOf(p), 0)));
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
