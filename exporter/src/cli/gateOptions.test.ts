import { parseExporterUrl, parseGateDuration, parseGateInterval } from './gateOptions';

describe('gate option parsing', () => {
  it.each([
    ['30m', 1_800_000],
    ['15s', 15_000],
    ['1h30m', 5_400_000],
    ['0.5s', 500],
    ['90', 90_000],
    ['0s', 0],
  ])('reads the duration %s', (text, ms) => {
    expect(parseGateDuration(text)).toBe(ms);
  });

  it.each(['30 minutes', '', '-5s', '1x'])('refuses %j, saying what is accepted', (text) => {
    expect(() => parseGateDuration(text)).toThrow(/expected a duration such as 30m, 15s or 1h30m/);
  });

  it('refuses an interval of 0, which would poll in a hot loop', () => {
    expect(() => parseGateInterval('0s')).toThrow(/more than 0/);
    expect(parseGateInterval('1s')).toBe(1000);
  });

  it('accepts http(s) base URLs, with a path prefix', () => {
    expect(parseExporterUrl('https://dq.example.com/datatrust').pathname).toBe('/datatrust');
  });

  it.each([
    ['not a url', /expected an http\(s\) URL such as/],
    ['ftp://x', /expected an http\(s\) URL, got ftp:/],
    ['http://u:p@x', /must not contain credentials/],
    ['http://x/?a=1', /without \?query/],
  ])('refuses %s', (text, message) => {
    expect(() => parseExporterUrl(text)).toThrow(message);
  });
});
