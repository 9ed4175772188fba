/**
 * SodaCL `valid format` / `invalid format` / `missing format` definitions, as a table.
 *
 * What each name accepts follows Soda Core v3.5: its documentation's list of valid formats and
 * the passing and failing values its own tests assert (validFormats.test.ts replays them on
 * DuckDB and PostgreSQL). Where Soda's own regular expression contradicts its documentation
 * through an obvious slip, the documented meaning wins; those rows say so in `differs`.
 *
 * The expressions use the subset RE2 (DuckDB), PostgreSQL's ARE and JavaScript share: no
 * backslash classes, no lookaround, explicit anchors. Letters outside ASCII are literal ranges.
 */

/** How a numeric format's text becomes a number (numeric metrics and `valid min`/`valid max` on text columns). */
export type NumberReading =
  /** Keep digits, `-`, `.` and `,`; a `,` is the decimal separator (Soda's reading). */
  | 'point-or-comma'
  /** `1,234.56`: commas group thousands and are dropped. */
  | 'point'
  /** `1.234,56`: points group thousands and are dropped; the comma is the decimal separator. */
  | 'comma';

export interface FormatDefinition {
  regex: string;
  /** Set for formats whose values are numbers: `min(col)`, `avg(col)`… read them this way. */
  number?: NumberReading;
  /** Why this definition deliberately differs from Soda Core's expression, when it does. */
  differs?: string;
}

const S = ' *';
const DIGITS = '[0-9]+';
const EITHER = '([0-9]+([.,][0-9]+)?|[.,][0-9]+)';
const POINT = '([0-9]+([.][0-9]+)?|[.][0-9]+)';
const COMMA = '([0-9]+(,[0-9]+)?|,[0-9]+)';
const ZERO: Record<string, string> = {
  [DIGITS]: '0+',
  [EITHER]: '(0+([.,]0+)?|[.,]0+)',
  [POINT]: '(0+([.]0+)?|[.]0+)',
  [COMMA]: '(0+(,0+)?|,0+)',
};
const CURRENCY = '([A-Z]{3}|[a-z]{3})';

type Sign = 'any' | 'positive' | 'negative';

/**
 * A signed number with optional spaces around sign and value: `- 1234`, ` +1,5 % `. A negative
 * format also accepts zero, as Soda's tests do (`0` and `-0` are negative integers).
 */
function signed(sign: Sign, number: string, suffix = ''): string {
  const body = sign === 'any' ? `[-+]?${S}${number}` : sign === 'positive' ? `[+]?${S}${number}` : `(-${S}${number}|${ZERO[number]!})`;
  return `^${S}${body}${S}${suffix}${suffix ? S : ''}$`;
}

const DAY = '(0?[1-9]|[12][0-9]|3[01])';
const MONTH = '(0?[1-9]|1[012])';
const YEAR = '([12][0-9])?[0-9][0-9]';
const DATE_SEP = '[-./]';
const HOUR24 = '(0?[0-9]|[01][0-9]|2[0-3])';
const HOUR12 = '(0?[0-9]|1[0-2])';
const MINUTE = '[0-5]?[0-9]';
const SECOND = '[0-5]?[0-9]([.,][0-9]+)?';
const MINUTE2 = '[0-5][0-9]';
/**
 * ISO 8601 as Soda's tests read it: extended or basic (compact) dates, week dates (`2020-W06-5`),
 * ordinal dates (`2020-039`), then optionally a time from the hour alone down to fractions, and a
 * zone. Years start with 1 or 2, so `9999-01-01` is not a date.
 */
const ISO_DATE = '[12][0-9]{3}-?((0[1-9]|1[012])-?(0[1-9]|[12][0-9]|3[01])|W[0-5][0-9](-?[1-7])?|[0-3][0-9][0-9])';
const ISO_TIME = `[ T]${HOUR24}(:?${MINUTE2}(:?${MINUTE2}([.,][0-9]+)?)?)?([+-]${HOUR24}:?${MINUTE2}|Z)?`;

const HEX4 = '[0-9A-Fa-f]{1,4}';
const IPV4 = '[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}';
const IPV6 = [
  `(${HEX4}:){7}${HEX4}`,
  `((${HEX4}:){0,6}${HEX4})?::((${HEX4}:){0,6}${HEX4})?`,
  // An IPv4 tail: `::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`.
  `((${HEX4}:){6}|((${HEX4}:){0,5}${HEX4})?::(${HEX4}:){0,4})${IPV4}`,
].join('|');
/** Latin letters with diacritics (U+00C0–U+0233), which Soda accepts in e-mail addresses. */
const LATIN = '\u00C0-\u0233';

export const VALID_FORMATS: Record<string, FormatDefinition> = {
  integer: { regex: signed('any', DIGITS), number: 'point-or-comma' },
  'positive integer': { regex: signed('positive', DIGITS), number: 'point-or-comma' },
  'negative integer': { regex: signed('negative', DIGITS), number: 'point-or-comma' },
  decimal: { regex: signed('any', EITHER), number: 'point-or-comma' },
  'positive decimal': { regex: signed('positive', EITHER), number: 'point-or-comma' },
  'negative decimal': { regex: signed('negative', EITHER), number: 'point-or-comma' },
  'decimal point': { regex: signed('any', POINT), number: 'point-or-comma' },
  'positive decimal point': { regex: signed('positive', POINT), number: 'point-or-comma' },
  'negative decimal point': { regex: signed('negative', POINT), number: 'point-or-comma' },
  'decimal comma': { regex: signed('any', COMMA), number: 'point-or-comma' },
  'positive decimal comma': { regex: signed('positive', COMMA), number: 'point-or-comma' },
  'negative decimal comma': { regex: signed('negative', COMMA), number: 'point-or-comma' },
  percentage: { regex: signed('any', EITHER, '%'), number: 'point-or-comma' },
  'positive percentage': { regex: signed('positive', EITHER, '%'), number: 'point-or-comma' },
  'negative percentage': { regex: signed('negative', EITHER, '%'), number: 'point-or-comma' },
  'percentage point': { regex: signed('any', POINT, '%'), number: 'point-or-comma' },
  'positive percentage point': { regex: signed('positive', POINT, '%'), number: 'point-or-comma' },
  'negative percentage point': { regex: signed('negative', POINT, '%'), number: 'point-or-comma' },
  'percentage comma': { regex: signed('any', COMMA, '%'), number: 'point-or-comma' },
  'positive percentage comma': { regex: signed('positive', COMMA, '%'), number: 'point-or-comma' },
  'negative percentage comma': { regex: signed('negative', COMMA, '%'), number: 'point-or-comma' },
  // A number, then a three-letter currency code (`12.50 EUR`).
  money: { regex: `^${S}[-+]?${S}${EITHER}${S}${CURRENCY}${S}$`, number: 'point-or-comma' },
  'money point': {
    regex: `^${S}[-+]?${S}[0-9]{1,3}(,[0-9]{3})*([.][0-9]+)?${S}${CURRENCY}${S}$`,
    number: 'point',
    differs: 'Soda writes the decimal point unescaped (any character passes) and reads `1,234.56` as `1.234.56`, which does not cast; here the point is literal and thousands separators are dropped before casting',
  },
  'money comma': {
    regex: `^${S}[-+]?${S}[0-9]{1,3}([.][0-9]{3})*(,[0-9]+)?${S}${CURRENCY}${S}$`,
    number: 'comma',
    differs: 'Soda reads `1.234,56` as `1.234.56`, which does not cast; here thousands separators are dropped before casting',
  },
  'date us': { regex: `^${S}${MONTH}${DATE_SEP}${DAY}${DATE_SEP}${YEAR}${S}$` },
  'date eu': { regex: `^${S}${DAY}${DATE_SEP}${MONTH}${DATE_SEP}${YEAR}${S}$` },
  'date inverse': { regex: `^${S}${YEAR}${DATE_SEP}${MONTH}${DATE_SEP}${DAY}${S}$` },
  'date iso 8601': { regex: `^${S}${ISO_DATE}(${ISO_TIME})?${S}$` },
  'time 24h': { regex: `^${S}${HOUR24}:${MINUTE}(:${SECOND})?${S}$` },
  'time 24h nosec': { regex: `^${S}${HOUR24}:${MINUTE}${S}$` },
  'time 12h': { regex: `^${S}${HOUR12}:${MINUTE}(:${SECOND})?${S}$` },
  'time 12h nosec': { regex: `^${S}${HOUR12}:${MINUTE}${S}$` },
  'timestamp 24h': { regex: `^${S}${HOUR24}:${MINUTE}:${SECOND}${S}$` },
  'timestamp 12h': { regex: `^${S}${HOUR12}:${MINUTE}:${SECOND}${S}$` },
  uuid: { regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
  // Soda's documentation: "Four whole numbers separated by `.`" (no range check on the parts).
  'ip address': { regex: `^${IPV4}$` },
  'ipv4 address': { regex: `^${IPV4}$` },
  'ipv6 address': { regex: `^(${IPV6})(%[0-9A-Za-z]+)?$` },
  email: { regex: `^[A-Za-z${LATIN}0-9._%+-]+@[A-Za-z${LATIN}0-9._%-]+[.][A-Za-z]{2,4}$` },
  'phone number': { regex: '^(([+][0-9]{1,2} )?[(]?[0-9]{3}[)]?[ .-])?[0-9]{3}[ .-][0-9]{4}$' },
  'credit card number': {
    regex: '^([0-9]{14,19}|[0-9]{4}(-[0-9]{4}){3}|[0-9]{4}( [0-9]{4}){3})$',
    differs: "Soda's expression anchors only its first and last alternatives, so any text containing 15 digits passes; here every alternative is the whole value",
  },
};

export const VALID_FORMAT_NAMES = Object.keys(VALID_FORMATS);

export function formatRegex(name: string): string | undefined {
  return VALID_FORMATS[name]?.regex;
}

/** How a numeric format's values read as numbers; undefined for formats that are not numbers. */
export function numberReading(name: string | undefined): NumberReading | undefined {
  return name === undefined ? undefined : VALID_FORMATS[name]?.number;
}
