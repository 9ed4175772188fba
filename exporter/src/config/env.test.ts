import { interpolate } from './env';

describe('${VAR} interpolation', () => {
  it('substitutes variables from the given environment', () => {
    expect(interpolate('postgres://app:${PW}@db/${DB}', { PW: 's3cret', DB: 'ledger' })).toEqual({ value: 'postgres://app:s3cret@db/ledger', missing: [], fromEnvironment: true });
  });

  it('reports unset variables instead of substituting an empty string silently', () => {
    expect(interpolate('${A}-${B}', { A: 'x' })).toEqual({ value: 'x-', missing: ['B'], fromEnvironment: true });
  });

  it('uses a default after :- when the variable is unset or empty', () => {
    expect(interpolate('${PORT:-9464}', { PORT: '' }).value).toBe('9464');
    expect(interpolate('${PORT:-9464}', { PORT: '8080' }).value).toBe('8080');
  });

  it('keeps $${ as a literal ${', () => {
    expect(interpolate('cost: $${AMOUNT}', {})).toEqual({ value: 'cost: ${AMOUNT}', missing: [], fromEnvironment: false });
  });
});
