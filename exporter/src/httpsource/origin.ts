/**
 * The configured headers (tokens, API keys) are meant for the API at `http.url` only, so every
 * request of a fetch, next pages and redirects included, must stay at that URL's origin.
 * Returns the other origin when `url` leaves it, undefined when it does not.
 */
export function foreignOrigin(url: string, configuredUrl: string): string | undefined {
  const origin = new URL(url).origin;
  return origin === new URL(configuredUrl).origin ? undefined : origin;
}
