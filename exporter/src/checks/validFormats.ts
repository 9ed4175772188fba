/**
 * Regular expressions for SodaCL `valid format` names. They are written in the subset shared by
 * RE2 (DuckDB), PostgreSQL's ARE and JavaScript, so every dialect and the tests agree: no
 * backslash classes, no lookaround, explicit anchors.
 */
const D = '[0-9]';
const MONTH = '(0?[1-9]|1[0-2])';
const DAY = '(0?[1-9]|[12][0-9]|3[01])';
const YEAR = `(${D}{4}|${D}{2})`;
const SEP = '[-/.]';
const H24 = '([01]?[0-9]|2[0-3])';
const H12 = '(0?[1-9]|1[0-2])';
const MIN = '[0-5][0-9]';
const AMPM = ' ?([AaPp][Mm])';
const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${IPV4_OCTET}([.]${IPV4_OCTET}){3}`;
const HEX4 = '[0-9A-Fa-f]{1,4}';
// Full and `::`-compressed forms; good enough to tell an address from garbage.
const IPV6 = `((${HEX4}:){7}${HEX4}|((${HEX4}:){0,6}${HEX4})?::((${HEX4}:){0,6}${HEX4})?)`;

export const VALID_FORMATS: Record<string, string> = {
  integer: `^[-+]?${D}+$`,
  'positive integer': `^[+]?${D}+$`,
  'negative integer': `^-${D}+$`,
  decimal: `^[-+]?(${D}+([.,]${D}*)?|[.,]${D}+)$`,
  'positive decimal': `^[+]?(${D}+([.,]${D}*)?|[.,]${D}+)$`,
  'negative decimal': `^-(${D}+([.,]${D}*)?|[.,]${D}+)$`,
  'decimal point': `^[-+]?(${D}+([.]${D}*)?|[.]${D}+)$`,
  'decimal comma': `^[-+]?(${D}+(,${D}*)?|,${D}+)$`,
  percentage: `^[-+]?(${D}+([.,]${D}*)?|[.,]${D}+) ?%$`,
  money: `^[-+]?${D}{1,3}([.,' ]?${D}{3})*([.,]${D}{1,2})? ?[A-Za-z]{0,3}$`,
  'money point': `^[-+]?${D}{1,3}(,?${D}{3})*([.]${D}{1,2})? ?[A-Za-z]{0,3}$`,
  'money comma': `^[-+]?${D}{1,3}([.]?${D}{3})*(,${D}{1,2})? ?[A-Za-z]{0,3}$`,
  'date us': `^${MONTH}${SEP}${DAY}${SEP}${YEAR}$`,
  'date eu': `^${DAY}${SEP}${MONTH}${SEP}${YEAR}$`,
  'date inverse': `^${D}{4}${SEP}${MONTH}${SEP}${DAY}$`,
  'date iso 8601': `^${D}{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):${MIN}(:${MIN}([.,]${D}+)?)?(Z|[+-]([01][0-9]|2[0-3])(:?${MIN})?)?)?$`,
  'time 24h': `^${H24}:${MIN}:${MIN}$`,
  'time 24h nosec': `^${H24}:${MIN}$`,
  'time 12h': `^${H12}:${MIN}:${MIN}${AMPM}$`,
  'time 12h nosec': `^${H12}:${MIN}${AMPM}$`,
  'timestamp 24h': `^${D}{4}-${D}{2}-${D}{2}[T ]${H24}:${MIN}:${MIN}$`,
  'timestamp 12h': `^${D}{4}-${D}{2}-${D}{2}[T ]${H12}:${MIN}:${MIN}${AMPM}$`,
  uuid: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
  'ip address': `^(${IPV4}|${IPV6})$`,
  'ipv4 address': `^${IPV4}$`,
  'ipv6 address': `^${IPV6}$`,
  email: "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?([.][A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*[.][A-Za-z]{2,}$",
  // An optional `(` before the first digit: `(415) 555-0142` is as valid as `+1 (415) 555-0142`.
  'phone number': '^[+]?[(]?[0-9]([0-9 ().-]{4,18})[0-9]$',
  'credit card number': `^${D}{4}[- ]?${D}{4}[- ]?${D}{4}[- ]?${D}{1,7}$`,
};

export const VALID_FORMAT_NAMES = Object.keys(VALID_FORMATS);

export function formatRegex(name: string): string | undefined {
  return VALID_FORMATS[name];
}
