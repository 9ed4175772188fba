import { firstUrl, nextLink, nextPage, type PageSeen } from './pagination';

const seen = (over: Partial<PageSeen>): PageSeen => ({ url: 'https://api.test/v1/items', link: null, answer: {}, records: 10, total: 10, index: 0, ...over });

describe('firstUrl', () => {
  it('adds the configured query, then the first page or offset with the page size', () => {
    expect(firstUrl({ url: 'https://api.test/v1/items?fixed=1', query: { status: 'open' }, pagination: { type: 'page', param: 'page', start: 1, sizeParam: 'per_page', size: 50 } })).toBe(
      'https://api.test/v1/items?fixed=1&status=open&page=1&per_page=50',
    );
    expect(firstUrl({ url: 'https://api.test/x', query: {}, pagination: { type: 'offset', param: 'skip', size: 20 } })).toBe('https://api.test/x?skip=0');
    expect(firstUrl({ url: 'https://api.test/x', query: { q: 'a b' } })).toBe('https://api.test/x?q=a+b');
  });
});

describe('nextLink', () => {
  it('finds rel="next" among several links and resolves it against the page URL', () => {
    expect(nextLink('<https://api.test/x?page=1>; rel="prev", </x?page=3>; rel="next", <https://api.test/x?page=9>; rel="last"', 'https://api.test/x?page=2')).toBe('https://api.test/x?page=3');
    expect(nextLink('<https://api.test/x?c=abc>; rel=next', 'https://api.test/x')).toBe('https://api.test/x?c=abc');
    expect(nextLink('<https://api.test/x?p=2>; title="more"; rel="next last"', 'https://api.test/x')).toBe('https://api.test/x?p=2');
  });

  it('has no next page without the header or a next relation', () => {
    expect(nextLink(null, 'https://api.test/x')).toBeUndefined();
    expect(nextLink('<https://api.test/x?page=1>; rel="first"', 'https://api.test/x')).toBeUndefined();
  });
});

describe('nextPage', () => {
  it('stops without pagination', () => {
    expect(nextPage(undefined, seen({}))).toEqual({ done: true });
  });

  it('cursor: sends the value back, stops on null, missing or empty', () => {
    const p = { type: 'cursor' as const, cursorField: ['meta', 'next'], param: 'after' };
    expect(nextPage(p, seen({ answer: { meta: { next: 'b2' } } }))).toEqual({ url: 'https://api.test/v1/items?after=b2' });
    expect(nextPage(p, seen({ answer: { meta: { next: 42 } } }))).toEqual({ url: 'https://api.test/v1/items?after=42' });
    for (const next of [null, '', undefined]) expect(nextPage(p, seen({ answer: { meta: { next } } }))).toEqual({ done: true });
    expect(nextPage(p, seen({ answer: { meta: { next: { id: 1 } } } }))).toEqual({ error: 'the cursor `meta.next` is not a text or a number' });
  });

  it('page: counts from start, stops at an empty page or one shorter than size', () => {
    const p = { type: 'page' as const, param: 'page', start: 1, size: 10 };
    expect(nextPage(p, seen({ url: 'https://api.test/x?page=1', index: 0 }))).toEqual({ url: 'https://api.test/x?page=2' });
    expect(nextPage(p, seen({ records: 3 }))).toEqual({ done: true });
    expect(nextPage({ type: 'page', param: 'page', start: 1 }, seen({ records: 3, url: 'https://api.test/x?page=1' }))).toEqual({ url: 'https://api.test/x?page=2' });
    expect(nextPage({ type: 'page', param: 'page', start: 1 }, seen({ records: 0 }))).toEqual({ done: true });
  });

  it('offset: the next offset is the records received so far', () => {
    const p = { type: 'offset' as const, param: 'offset', size: 10 };
    expect(nextPage(p, seen({ url: 'https://api.test/x?offset=10', total: 20, index: 1 }))).toEqual({ url: 'https://api.test/x?offset=20' });
    expect(nextPage(p, seen({ records: 9 }))).toEqual({ done: true });
  });

  it('refuses a next page that is the page just read', () => {
    expect(nextPage({ type: 'link_header' }, seen({ url: 'https://api.test/x?p=2', link: '</x?p=2>; rel="next"' }))).toEqual({ error: 'page 1 points to itself as the next page (link_header pagination)' });
  });
});
