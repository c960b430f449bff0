/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field in double quotes
 * when it holds a comma, a quote, CR or LF, and quotes inside doubled.
 */
export type CsvCell = string | number | null | undefined;

/** The UTF-8 byte order mark: without it Excel reads UTF-8 as the local code page and garbles names. */
export const CSV_BOM = '\uFEFF';
const CSV_EOL = '\r\n';

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection), so text cells that
// start with one get a leading apostrophe, which spreadsheets hide and treat as "this is text".
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field. Numbers are written as they are (so -2 stays a number); text is neutralised and quoted. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, with its CRLF line end. */
export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',') + CSV_EOL;
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(csvRow).join('');
}
