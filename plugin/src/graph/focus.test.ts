import { parseDirection } from './focus';

describe('parseDirection', () => {
  it('reads the direction variable, and anything else (unset, All, a typo) as both', () => {
    expect(parseDirection('upstream')).toBe('upstream');
    expect(parseDirection(' Downstream ')).toBe('downstream');
    expect(parseDirection('both')).toBe('both');
    expect(parseDirection('${direction}')).toBe('both');
    expect(parseDirection(undefined)).toBe('both');
  });
});
