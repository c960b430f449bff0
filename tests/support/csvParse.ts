/**
 * A strict RFC 4180 reader for tests: CRLF record ends, quoted fields with doubled quotes inside.
 * It throws on anything the RFC does not allow (a bare quote in an unquoted field, a lone CR or LF
 * outside quotes, text after a closing quote), so a writer bug cannot hide behind a lenient parser.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let index = 0;
  if (text === '') return rows;
  while (index < text.length) {
    let field = '';
    if (text[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= text.length) throw new Error('unterminated quoted field');
        const char = text[index]!;
        if (char === '"' && text[index + 1] === '"') {
          field += '"';
          index += 2;
        } else if (char === '"') {
          index += 1;
          break;
        } else {
          field += char;
          index += 1;
        }
      }
    } else {
      while (index < text.length && text[index] !== ',' && text[index] !== '\r' && text[index] !== '\n') {
        if (text[index] === '"') throw new Error(`bare quote at ${index}`);
        field += text[index];
        index += 1;
      }
    }
    row.push(field);
    if (text[index] === ',') {
      index += 1;
    } else if (text.startsWith('\r\n', index)) {
      rows.push(row);
      row = [];
      index += 2;
    } else if (index < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[index])} at ${index}`);
    } else {
      throw new Error('the last record has no CRLF');
    }
  }
  return rows;
}
