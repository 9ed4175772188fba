import type { SuggestedCheck, SuggestedSection } from './suggestChecks';

/** A YAML scalar: plain when it reads back as the same string, else double-quoted (JSON is valid YAML). */
function scalar(v: string | number): string {
  if (typeof v === 'number') return String(v);
  return /^[A-Za-z_][A-Za-z0-9_ ]*[A-Za-z0-9_]$|^[A-Za-z_]$/.test(v) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(v) ? v : JSON.stringify(v);
}

const comment = (text: string, indent: string) => text.split('\n').map((l) => `${indent}# ${l}`);

function checkLines(c: SuggestedCheck): string[] {
  const out = comment(c.why, '  ');
  if (c.columns) {
    out.push('  - schema:', '      fail:', '        when mismatching columns:');
    for (const [name, type] of c.columns) out.push(`          ${JSON.stringify(name)}: ${JSON.stringify(type)}`);
    return out;
  }
  if (!c.keys?.length) return [...out, `  - ${c.line}`];
  out.push(`  - ${c.line}:`);
  for (const [key, value] of c.keys) out.push(`      ${key}: ${Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : scalar(value)}`);
  return out;
}

/** A SodaCL check file with one `checks for` section per profiled dataset, comments included. */
export function writeSodaCl(sections: readonly SuggestedSection[]): string {
  const blocks = sections.map((s) => {
    const lines = comment(s.header.join('\n'), '');
    for (const n of s.notes) lines.push(`# Not suggested: ${n}`);
    lines.push(`checks for ${s.dataset}:`);
    for (const c of s.checks) lines.push(...checkLines(c));
    return lines.join('\n');
  });
  return blocks.join('\n\n') + '\n';
}
