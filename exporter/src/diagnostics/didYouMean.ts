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

/** "unknown X `foo`; did you mean `bar`? Accepted: a, b, c" */
export function unknownMessage(what: string, input: string, accepted: readonly string[]): string {
  const guess = closest(input, accepted);
  const hint = guess ? `; did you mean \`${guess}\`?` : '.';
  return `unknown ${what} \`${input}\`${hint} Accepted: ${accepted.map((a) => `\`${a}\``).join(', ')}`;
}
