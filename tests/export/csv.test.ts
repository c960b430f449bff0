import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, toCsv } from '../../src/export/csv.ts';
import { parseCsv } from '../support/csvParse.ts';

describe('csvCell', () => {
  it.each([
    ['plain text', 'What is a JWT?', 'What is a JWT?'],
    ['a comma', 'header, payload', '"header, payload"'],
    ['quotes, doubled', 'a "signed" token', '"a ""signed"" token"'],
    ['a newline', 'line one\nline two', '"line one\nline two"'],
    ['a CRLF', 'line one\r\nline two', '"line one\r\nline two"'],
    ['the empty string', '', ''],
    ['non-ASCII text', 'Zoë — ✓', 'Zoë — ✓'],
  ])('writes %s as RFC 4180 wants', (_name, value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tindented', "'\tindented"],
    ['\rcarriage', `"'\rcarriage"`],
  ])('neutralises text a spreadsheet would run as a formula: %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes numbers as numbers, negative ones included, and nothing for null or non-finite values', () => {
    expect([csvCell(-2), csvCell(3), csvCell(0), csvCell(null), csvCell(undefined), csvCell(Number.NaN)]).toEqual([
      '-2',
      '3',
      '0',
      '',
      '',
      '',
    ]);
  });

  it('leaves a formula character inside the text alone', () => {
    expect(csvCell('a = b')).toBe('a = b');
  });
});

describe('csv records', () => {
  it('end every record with CRLF, the last one included', () => {
    expect(csvRow(['a', 'b', 1])).toBe('a,b,1\r\n');
    expect(toCsv([['a'], ['b']])).toBe('a\r\nb\r\n');
  });

  it('read back through an RFC 4180 parser as the same cells', () => {
    const rows = [
      ['slug', 'question', 'answer', 'points'],
      ['jwt-what', 'What is a JWT?', 'A token, "signed",\nwith claims\r\nand more', '3'],
      ['', 'Ünïcödé ✓', ' leading and trailing spaces ', ''],
      ['x', 'a,b,,c', '""', '0'],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  it('read back a neutralised formula as text with its apostrophe, quotes intact', () => {
    const [[cell]] = parseCsv(toCsv([['=HYPERLINK("http://x")']])) as [[string]];
    expect(cell).toBe(`'=HYPERLINK("http://x")`);
  });

  it('are rejected by the test parser when malformed, so the round trip proves something', () => {
    expect(() => parseCsv('a"b\r\n')).toThrow(/bare quote/);
    expect(() => parseCsv('"a\r\n')).toThrow(/unterminated/);
    expect(() => parseCsv('a\nb\r\n')).toThrow(/unexpected/);
    expect(() => parseCsv('a,b')).toThrow(/no CRLF/);
  });
});
