/**
 * Values each `valid format` must accept (`pass`) and reject (`fail`), from Soda Core v3.5:
 * its test_formats.py lists (integer, positive/negative integer, percentage, the dates, ISO
 * 8601), the e-mail addresses of its customers fixture (two of the six are invalid) and its
 * documentation's examples for the rest. Used by the format table's tests and by the Soda v3
 * migration file's `formats` table.
 */
export interface FormatSample {
  pass: string[];
  fail: string[];
}

export const FORMAT_SAMPLES: Record<string, FormatSample> = {
  // soda/core/tests/data_source/test_formats.py (v3.5.6), verbatim value lists.
  integer: { pass: ['0', '1234567890', '-0', '- 1234567890', '+0', '+1'], fail: ['', 'a', ' ', '1.5', '4,2'] },
  'positive integer': { pass: ['0', '1234567890', '+0', '+1'], fail: ['', 'a', ' ', '-0', '- 1234567890'] },
  'negative integer': { pass: ['0', '-0', '- 1234567890'], fail: ['', 'a', ' ', '1234567890', '+0', '+1'] },
  percentage: { pass: ['0%', ' 0 % ', '- 0 %', '+ 0 %', '010%', '0.0 %', '0,0  %', '.0 %', ',0 %', '99.99%'], fail: ['', ' ', '%', 'a %', '0', '0.0'] },
  'date us': {
    pass: ['1/1/2020', '01/06/2020', '12/31/1925', '11-13-1981', '9-05-2000', '11-10-2020', '06-14-1899', '07-04-1776', '08-15-1620', '09-20-1519', '01-01-2100', '01-01-1899'],
    fail: ['', ' ', 'a', '1/1/2020 12:00:00', '1/1/2020 12:00', '13/11/1981', '31-12-1925', '07-00-2021', '00-25-2019', '02-14-999'],
  },
  'date eu': { pass: ['1/1/2020', '01/06/2020', '31/12/1925', '13-11-1981', '9-05-2000'], fail: ['', ' ', 'a', '1/1/2020 12:00:00', '1/1/2020 12:00', '11-13-1981', '12/31/1925'] },
  'date inverse': { pass: ['2020/1/1', '2020/01/06', '1925-12-31', '1981-11-13', '2000/9/05'], fail: ['', ' ', 'a', '2020/1/1 12:00:00', '2020/1/1 12:00', '1981-13-11', '1925/31/12'] },
  'date iso 8601': {
    pass: [
      '2020-02-08', '2020-W06-5', '2020-039', '20200208', '2020W065', '2020W06', '2020039', '2020-02-08T09', '2020-02-08 09', '2020-02-08 09:30',
      '2020-02-08 09:30:26', '2020-02-08 09:30:26.123', '20200208T080910,123', '20200208T080910.123', '20200208T080910', '20200208T0809', '20200208T08',
      '2020-W06-5 09', '2020-039 09', '2020-02-08 09+07:00', '2020-02-08 09-0100', '2020-02-08 09Z', '2020-04-30', '2020-04-30T00:00:00.000',
      '2020-10-11 11:34', '2100-01-01 14:36', '1899-01-01 21:55', '1623-10-11T10:10:10.0000+01:00',
    ],
    fail: ['', ' ', 'a', '9999-01-01', '2000-13-01', '2000-01-32', '2020-10-11 90:34', '2100-01-01 14:67'],
  },
  // The customers fixture of Soda's tests: `invalid_count(email) = 2` with `valid format: email`.
  email: {
    pass: ['john.doe@example.com', 'JOE.SMOE@EXAMPLE.COM', 'milan.lukáč@example.com', 'john.doe+1@ĚxamplÉ.com', 'info@soda.io', 'some+email@gmail.com', 'a@b.be'],
    fail: ['invalid@email', ' ', '', 'a', '1.5', '4,2', '@@@@@'],
  },
  // Soda's documentation describes these; the values are ours.
  decimal: { pass: ['3.14', '-0.5', '1,5', '.5', ' - 2 '], fail: ['1.2.3', 'abc', '5.', ''] },
  'positive decimal': { pass: ['3.14', '+0,5', '0'], fail: ['-1.5', 'x'] },
  'negative decimal': { pass: ['-3.14', '- ,5', '0.0'], fail: ['3.14', '+1'] },
  'decimal point': { pass: ['3.14', '-.5'], fail: ['3,14'] },
  'positive decimal point': { pass: ['3.14'], fail: ['-3.14', '3,14'] },
  'negative decimal point': { pass: ['-3.14', '0'], fail: ['3.14', '-3,14'] },
  'decimal comma': { pass: ['3,14', '-,5'], fail: ['3.14'] },
  'positive decimal comma': { pass: ['3,14'], fail: ['-3,14', '3.14'] },
  'negative decimal comma': { pass: ['-3,14', '0,0'], fail: ['3,14', '-3.14'] },
  'positive percentage': { pass: ['12,5%', '+ 3 %'], fail: ['-1%', '12'] },
  'negative percentage': { pass: ['- 12,5 %', '0%'], fail: ['12%'] },
  'percentage point': { pass: ['12.5%'], fail: ['12,5%'] },
  'positive percentage point': { pass: ['12.5 %'], fail: ['-12.5%', '12,5%'] },
  'negative percentage point': { pass: ['-12.5%'], fail: ['12.5%', '-12,5%'] },
  'percentage comma': { pass: ['12,5%'], fail: ['12.5%'] },
  'positive percentage comma': { pass: ['12,5%'], fail: ['-12,5%'] },
  'negative percentage comma': { pass: ['-12,5%'], fail: ['12,5%', '-12.5%'] },
  money: { pass: ['12.50 EUR', '-3,5 usd', '+7 JPY'], fail: ['12.50', '$12.50', '12.50 Eur', '1,234.50 EUR'] },
  'money point': { pass: ['1,234.56 EUR', '12 usd', '999.5 GBP'], fail: ['1.234,56 EUR', '1,23 EUR', '1,234x56 EUR'] },
  'money comma': { pass: ['1.234,56 EUR', '12 usd'], fail: ['1,234.56 EUR', '1.23 EUR'] },
  'time 24h': { pass: ['23:59:59', '0:00', '9:5:7', '12:30:15.250'], fail: ['24:00:00', '12:60', '10:30 PM'] },
  'time 24h nosec': { pass: ['23:59', '7:05'], fail: ['23:59:59', '24:00'] },
  'time 12h': { pass: ['12:59:59', '9:30'], fail: ['13:00:00', '10:30 PM'] },
  'time 12h nosec': { pass: ['12:59', '1:05'], fail: ['13:00', '12:59:59'] },
  'timestamp 24h': { pass: ['23:59:59', '0:0:0'], fail: ['23:59', '2020-01-01 10:00:00'] },
  'timestamp 12h': { pass: ['12:59:59'], fail: ['13:59:59', '12:59'] },
  uuid: { pass: ['123e4567-e89b-12d3-a456-426614174000', 'ABCDEF01-2345-6789-ABCD-EF0123456789'], fail: ['123e4567e89b12d3a456426614174000', '{123e4567-e89b-12d3-a456-426614174000}', 'zzzzzzzz-e89b-12d3-a456-426614174000'] },
  'ip address': { pass: ['192.168.0.1', '10.0.0.255'], fail: ['192.168.0', '::1', 'a.b.c.d'] },
  'ipv4 address': { pass: ['192.168.0.1', '8.8.8.8'], fail: ['192.168.0.1.5', '1234.1.1.1'] },
  'ipv6 address': {
    pass: ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8::8a2e:370:7334', '::1', '::', 'fe80::1%eth0', '::ffff:192.0.2.128'],
    fail: ['2001:db8::85a3::7334', '12345::', '192.168.0.1', 'g::1'],
  },
  // The documentation's examples, less `555-ABCD` (letters are not digits in Soda's expression either).
  'phone number': { pass: ['+12 123 123 1234', '123 123 1234', '+1 123-123-1234', '+12 123-123-1234', '+12 123 123-1234', '555-2368', '(415) 555-0142'], fail: ['555-ABCD', '4155550100', 'call me', '12'] },
  'credit card number': { pass: ['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '30569309025904'], fail: ['4111 1111 1111', 'x4111111111111111', '4111111111111111x', '4111-1111 1111-1111'] },
};

