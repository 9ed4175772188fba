// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package, so a
// benchmark's evidence can be read without DevTools. Usage: node bench/profile-summary.mjs <file> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a frame's code lives: a node_modules package, exporter/dist, node internals, or native. */
function owner(url) {
  if (!url) return '(native/VM)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/exporter/dist/')) return 'exporter';
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // timeDeltas[i] is the time before sample i: attribute it to that sample's node.
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const fn = new Map();
  const pkg = new Map();
  for (const [id, us] of dt) {
    const { callFrame: f } = byId.get(id);
    const name = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(node_modules|exporter\/dist)\//, '$1/')}:${f.lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    const o = ['(idle)', '(program)', '(garbage collector)'].includes(f.functionName) ? f.functionName : owner(f.url);
    pkg.set(o, (pkg.get(o) ?? 0) + us);
  }
  const pct = (us) => Math.round((1000 * us) / total) / 10;
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    byOwner: sorted(pkg).map(([k, us]) => ({ owner: k, selfPct: pct(us) })),
    topFunctions: sorted(fn)
      .slice(0, top)
      .map(([k, us]) => ({ fn: k, selfPct: pct(us) })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25));
  console.log(`total ${s.totalMs.toFixed(0)} ms`);
  for (const o of s.byOwner) console.log(`${String(o.selfPct).padStart(5)}%  ${o.owner}`);
  console.log('');
  for (const f of s.topFunctions) console.log(`${String(f.selfPct).padStart(5)}%  ${f.fn}`);
}
