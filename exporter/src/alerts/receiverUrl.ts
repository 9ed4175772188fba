/**
 * Checks a configured receiver URL up front, so a typo fails at start-up with the channel's name
 * rather than on the first incident. The message never repeats the URL: it may be a credential.
 */
export function checkReceiverUrl(label: string, field: string, url: string, protocols: readonly string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${label}: \`${field}\` is not a valid URL (expected ${protocols.map((p) => `${p}//…`).join(' or ')})`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new Error(`${label}: \`${field}\` must use ${protocols.join(' or ')}, not ${parsed.protocol}`);
  }
  return parsed;
}
