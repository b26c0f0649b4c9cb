import { describe, expect, it } from 'vitest';
import { toCsv } from './analytics-csv';

type TRow = { name: string | null; score: number | null; at?: Date; passed?: boolean };
const columns = [
  { key: 'name', header: 'Trainee' },
  { key: 'score', header: 'Score' },
] as const;

const body = (csv: string) => csv.replace(/^\uFEFF/, '');

describe('toCsv', () => {
  it('writes a BOM, a header row and CRLF-terminated records', () => {
    const csv = toCsv<TRow>([{ name: 'Tom Becker', score: 70 }], columns);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(body(csv)).toBe('Trainee,Score\r\nTom Becker,70\r\n');
  });

  it('quotes fields with commas, quotes and line breaks, doubling inner quotes', () => {
    const csv = toCsv<TRow>(
      [
        { name: 'Becker, Tom', score: 1 },
        { name: 'Tom "The Closer" Becker', score: 2 },
        { name: 'two\nlines', score: 3 },
        { name: 'José Núñez', score: 4 },
      ],
      columns,
    );
    expect(body(csv)).toBe(
      'Trainee,Score\r\n"Becker, Tom",1\r\n"Tom ""The Closer"" Becker",2\r\n"two\nlines",3\r\nJosé Núñez,4\r\n',
    );
  });

  it('neutralises text a spreadsheet would run as a formula, but leaves negative numbers alone', () => {
    const csv = toCsv<TRow>(
      [
        { name: '=HYPERLINK("http://evil.example","click")', score: -5 },
        { name: '+15551234', score: 0 },
        { name: '@SUM(A1)', score: 1 },
        { name: '-2+3', score: 2 },
      ],
      columns,
    );
    expect(body(csv)).toBe(
      'Trainee,Score\r\n"\'=HYPERLINK(""http://evil.example"",""click"")",-5\r\n\'+15551234,0\r\n\'@SUM(A1),1\r\n\'-2+3,2\r\n',
    );
  });

  it('writes empty cells for null, ISO 8601 for dates, true/false for booleans', () => {
    const csv = toCsv<TRow>([{ name: null, score: null, at: new Date('2025-02-04T15:00:00Z'), passed: false }], [
      ...columns,
      { key: 'at', header: 'At' },
      { key: 'passed', header: 'Passed' },
    ]);
    expect(body(csv)).toBe('Trainee,Score,At,Passed\r\n,,2025-02-04T15:00:00.000Z,false\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(body(toCsv<TRow>([], columns))).toBe('Trainee,Score\r\n');
  });
});
