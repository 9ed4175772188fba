import type { HttpDatasetSettings, HttpPagination } from '../config/httpDataset';
import { valueAt } from './recordsAt';

/** The first request's URL: the configured query parameters, then the pagination's own. */
export function firstUrl(settings: Pick<HttpDatasetSettings, 'url' | 'query' | 'pagination'>): string {
  const url = new URL(settings.url);
  for (const [k, v] of Object.entries(settings.query)) url.searchParams.set(k, v);
  const p = settings.pagination;
  if (p?.type === 'page') url.searchParams.set(p.param, String(p.start));
  if (p?.type === 'offset') url.searchParams.set(p.param, '0');
  if ((p?.type === 'page' || p?.type === 'offset') && p.sizeParam && p.size) url.searchParams.set(p.sizeParam, String(p.size));
  return url.href;
}

/** What one page told us, to decide on the next. */
export interface PageSeen {
  /** The URL this page was fetched from. */
  url: string;
  /** Its `Link` header. */
  link: string | null;
  /** The parsed JSON answer. */
  answer: unknown;
  /** Records on this page. */
  records: number;
  /** Records on all pages so far, this one included. */
  total: number;
  /** 0 for the first page. */
  index: number;
}

export type Next = { url: string } | { done: true } | { error: string };

/** `<https://…?page=2>; rel="next", <…>; rel="last"` → the `next` target, resolved against `base`. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]!);
    if (rel && rel[1]!.toLowerCase().split(/\s+/).includes('next')) return new URL(m[1]!, base).href;
  }
  return undefined;
}

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.href;
}

/**
 * Where the next page is, or that there is none. A next page that is the page just read (a
 * cursor or link that does not move) is an error: following it would loop until the page cap.
 */
export function nextPage(p: HttpPagination | undefined, seen: PageSeen): Next {
  if (!p) return { done: true };
  let url: string;
  switch (p.type) {
    case 'link_header': {
      const next = nextLink(seen.link, seen.url);
      if (next === undefined) return { done: true };
      url = next;
      break;
    }
    case 'cursor': {
      const cursor = valueAt(seen.answer, p.cursorField);
      if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return { done: true };
      if (typeof cursor !== 'string' && typeof cursor !== 'number') return { error: `the cursor \`${p.cursorField.join('.')}\` is not a text or a number` };
      url = withParam(seen.url, p.param, String(cursor));
      break;
    }
    case 'page':
      if (seen.records === 0 || (p.size !== undefined && seen.records < p.size)) return { done: true };
      url = withParam(seen.url, p.param, String(p.start + seen.index + 1));
      break;
    case 'offset':
      if (seen.records < p.size) return { done: true };
      url = withParam(seen.url, p.param, String(seen.total));
      break;
  }
  return url === seen.url ? { error: `page ${seen.index + 1} points to itself as the next page (${p.type} pagination)` } : { url };
}
