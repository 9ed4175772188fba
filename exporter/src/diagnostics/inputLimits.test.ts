import { checkInputLimits, MAX_LINE_CHARS, MAX_NESTING, normalizeLineBreaks } from './inputLimits';

describe('YAML input limits', () => {
  it('accepts real files: brackets in quoted, plain and block scalars and comments are text', () => {
    const text = [
      'checks for orders:  # [not a bracket',
      "  - valid regex: '^[a-z'",
      '  - invalid_count(code) = 0:',
      '      valid regex: ^[A-Z]{3}$',
      '  - failed rows:',
      '      fail query: |',
      '        SELECT * FROM t WHERE x ~ \'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\'',
      "  - schema: { fail: { when required column missing: [a, b, { x: [1, 2] }] } }",
      '  - name: "it\'s [fine"',
      "    other: it's [fine too",
      '',
    ].join('\n');
    expect(checkInputLimits(text)).toBeUndefined();
  });

  it('refuses flow nesting past the limit, at the bracket that passes it', () => {
    expect(checkInputLimits(`x: ${'['.repeat(80_00)}`)).toEqual({ line: 1, col: 3 + MAX_NESTING, message: `YAML nested deeper than ${MAX_NESTING} levels; flatten it` });
    // Across lines too, where a line-length cap would not help.
    expect(checkInputLimits(`x:\n${'  [\n'.repeat(1000)}`)?.line).toBe(MAX_NESTING);
  });

  it('refuses block nesting past the limit', () => {
    const deep = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n');
    expect(checkInputLimits(deep)).toMatchObject({ line: MAX_NESTING });
    expect(checkInputLimits(`x: ${'- '.repeat(100)}1`.replace('x: ', ''))).toMatchObject({ line: 1 });
    // `: : : …` nests a map per colon (found by the fuzzer: a stack overflow inside the parser).
    expect(checkInputLimits(`checks for t:\n  -${': '.repeat(5000)}\n`)).toMatchObject({ line: 2 });
    expect(checkInputLimits(`a:\n  ${'? '.repeat(100)}x\n`)).toMatchObject({ line: 2 });
  });

  it('refuses long lines and big files', () => {
    expect(checkInputLimits(`a: 1\nb: ${'x'.repeat(MAX_LINE_CHARS)}\n`)).toMatchObject({ line: 2, col: MAX_LINE_CHARS + 1 });
    expect(checkInputLimits(`a: 1\n`.repeat(1_000_000))).toMatchObject({ line: 1, col: 1, message: expect.stringMatching(/larger than 4 MB/) });
  });

  it('runs in linear time on long runs of brackets (the parser took 9 s for 80,000)', () => {
    const text = `${'['.repeat(MAX_LINE_CHARS)}\n`.repeat(60);
    expect(text.length).toBeLessThan(4 * 1024 * 1024);
    const started = Date.now();
    expect(checkInputLimits(text)).toMatchObject({ line: 1, col: MAX_NESTING });
    expect(checkInputLimits(`x: "${'['.repeat(MAX_LINE_CHARS - 10)}"\n`.repeat(60))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reads CR-only and CRLF line breaks as line breaks', () => {
    expect(normalizeLineBreaks('a: 1\rb: 2\r\nc: 3\n')).toBe('a: 1\nb: 2\nc: 3\n');
  });
});
