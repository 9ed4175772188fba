import { foreignOrigin } from './origin';

describe('foreignOrigin', () => {
  it('accepts any path and query at the configured origin', () => {
    expect(foreignOrigin('https://api.test/v2/items?page=3', 'https://api.test/v1/items')).toBeUndefined();
    expect(foreignOrigin('https://API.test:443/x', 'https://api.test/v1')).toBeUndefined();
  });

  it('names the other origin when the scheme, host or port differs', () => {
    expect(foreignOrigin('https://evil.test/v1/items', 'https://api.test/v1/items')).toBe('https://evil.test');
    expect(foreignOrigin('http://api.test/v1/items', 'https://api.test/v1/items')).toBe('http://api.test');
    expect(foreignOrigin('http://127.0.0.1:8081/x', 'http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8081');
    expect(foreignOrigin('https://api.test.evil.test/x', 'https://api.test/x')).toBe('https://api.test.evil.test');
  });
});
