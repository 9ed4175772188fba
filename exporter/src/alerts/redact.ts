/**
 * The parts of a receiver URL that may be secret: Slack and most webhook providers put the
 * credential in the path or query, SMTP URLs carry a password. Host and port are not secret and
 * stay, since "connect ECONNREFUSED 10.0.0.5:25" is what an operator needs to see.
 */
export function secretsOf(url: string): string[] {
  const secrets = new Set<string>([url]);
  try {
    const u = new URL(url);
    secrets.add(u.href);
    if (u.password) {
      secrets.add(u.password);
      secrets.add(safeDecode(u.password));
    }
    if (u.pathname.length > 1) secrets.add(u.pathname);
    if (u.search.length > 1) secrets.add(u.search);
    // Each long path segment on its own too: some receivers echo just the token.
    for (const part of u.pathname.split('/')) if (part.length >= 8) secrets.add(part);
  } catch {
    // Not a URL: the whole string was added above.
  }
  // Longest first, so a URL is replaced whole rather than leaving pieces around its path.
  return [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces every occurrence of the secrets in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}
