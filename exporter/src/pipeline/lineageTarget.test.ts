import { resolveLineageTarget } from './lineageTarget';

describe('resolveLineageTarget', () => {
  it('takes the URL from the option, then DATATRUST_URL, then OPENLINEAGE_URL, then the local exporter', () => {
    const env = { DATATRUST_URL: 'http://dt:8470', OPENLINEAGE_URL: 'http://marquez:5000' };
    expect(resolveLineageTarget({ url: 'https://lineage.bank/dt' }, env)).toMatchObject({ url: new URL('https://lineage.bank/dt') });
    expect(resolveLineageTarget({}, env)).toMatchObject({ url: new URL('http://dt:8470') });
    expect(resolveLineageTarget({}, { OPENLINEAGE_URL: 'http://marquez:5000' })).toMatchObject({ url: new URL('http://marquez:5000') });
    expect(resolveLineageTarget({}, {})).toMatchObject({ url: new URL('http://127.0.0.1:8470') });
  });

  it('takes the token from the option, then DATATRUST_LINEAGE_TOKEN, DATATRUST_API_TOKEN, OPENLINEAGE_API_KEY', () => {
    const all = { DATATRUST_LINEAGE_TOKEN: 'producer', DATATRUST_API_TOKEN: 'api', OPENLINEAGE_API_KEY: 'ol' };
    expect(resolveLineageTarget({ token: 'opt' }, all)).toMatchObject({ token: 'opt' });
    expect(resolveLineageTarget({}, all)).toMatchObject({ token: 'producer' });
    expect(resolveLineageTarget({}, { DATATRUST_API_TOKEN: 'api', OPENLINEAGE_API_KEY: 'ol' })).toMatchObject({ token: 'api' });
    expect(resolveLineageTarget({}, { OPENLINEAGE_API_KEY: 'ol', DATATRUST_LINEAGE_TOKEN: '' })).toMatchObject({ token: 'ol' });
    expect(resolveLineageTarget({}, {})).not.toHaveProperty('token');
  });

  it('names the variable that holds an unusable URL instead of throwing', () => {
    expect(resolveLineageTarget({}, { DATATRUST_URL: 'dt:8470' })).toEqual({ error: 'DATATRUST_URL: expected an http(s) URL, got dt:' });
    expect(resolveLineageTarget({ url: 'http://u:p@dt' }, {})).toEqual({ error: expect.stringMatching(/^url: the URL must not contain credentials/) });
  });
});
