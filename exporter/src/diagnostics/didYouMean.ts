/** Levenshtein distance, small inputs only (keys and metric names). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(needle, c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(needle.length / 3)) ? best : undefined;
}

function suggestion(input: string, accepted: readonly string[]): string {
  const guess = closest(input, accepted);
  return `${guess ? `; did you mean \`${guess}\`?` : '.'} Accepted: ${accepted.map((a) => `\`${a}\``).join(', ')}`;
}

/** "unknown key `foo` in dataset `t`; did you mean `bar`? Accepted: `a`, `b`" */
export function unknownMessage(what: string, input: string, accepted: readonly string[], where?: string): string {
  return `unknown ${what} \`${input}\`${where ? ` in ${where}` : ''}${suggestion(input, accepted)}`;
}

/** "the `type` of source `wh` is `duckdbb`; did you mean `duckdb`? Accepted: …" */
export function unknownValueMessage(what: string, input: string, accepted: readonly string[]): string {
  return `${what} is \`${input}\`${suggestion(input, accepted)}`;
}
