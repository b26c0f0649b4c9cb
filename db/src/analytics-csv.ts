import { stringify } from 'csv-stringify/sync';

export type TCsvColumn<T> = { key: keyof T & string; header: string };

/*
 * A cell a spreadsheet would read as a formula ("=HYPERLINK(…)", "+1…", "@SUM…") gets a leading
 * apostrophe, so a trainee's name can never run code on a manager's machine (OWASP "CSV injection").
 * Only text is touched: numbers, negative ones included, stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180 CSV (CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled)
 * with a header row, via csv-stringify. Starts with a UTF-8 byte-order mark so Excel shows names
 * with accents correctly. Dates become ISO 8601; null and undefined become empty cells.
 */
export function toCsv<T extends Record<string, unknown>>(rows: readonly T[], columns: ReadonlyArray<TCsvColumn<T>>): string {
  return stringify(rows as T[], {
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    record_delimiter: 'windows',
    // csv-stringify only quotes the record delimiter itself (CRLF); a bare LF or CR in a name
    // would otherwise split the record in most readers.
    quoted_match: /[\r\n]/,
    cast: {
      string: neutralise,
      date: (value) => value.toISOString(),
      boolean: (value) => (value ? 'true' : 'false'),
      number: (value) => String(value),
    },
  });
}
