import { describe, expect, it } from 'vitest';
import { csvHref, defaultRange, isDay, pivotByWeek, readRange } from './series';

const params = (query: string) => new URLSearchParams(query);

describe('the range in the address bar', () => {
  it('defaults to twelve weeks, Monday to today', () => {
    // Wednesday 2025-03-19: its week began on Monday the 17th; eleven weeks earlier is Dec 30.
    expect(defaultRange(new Date(2025, 2, 19))).toEqual({ from: '2024-12-30', to: '2025-03-19' });
    // A Sunday belongs to the week that began six days before.
    expect(defaultRange(new Date(2025, 2, 23)).from).toBe('2024-12-30');
    expect(defaultRange(new Date(2025, 2, 24)).from).toBe('2025-01-06');
  });

  it('keeps real days and known trainees from a link, and drops the rest', () => {
    const today = new Date(2025, 2, 19);
    expect(readRange(params('from=2025-01-01&to=2025-01-31&trainee=t1'), today, ['t1'])).toEqual({ from: '2025-01-01', to: '2025-01-31', traineeId: 't1' });
    expect(readRange(params('from=2025-02-30&to=soon&trainee=someone-else'), today, ['t1'])).toEqual({ ...defaultRange(today), traineeId: undefined });
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
  });

  it('builds the CSV link with the same filters', () => {
    expect(csvHref('latency', { from: '2025-01-01', to: '2025-01-31' })).toBe('/api/analytics/export?series=latency&from=2025-01-01&to=2025-01-31');
    expect(csvHref('sessions', { from: '2025-01-01', to: '2025-01-31', traineeId: 'abc' })).toContain('&traineeId=abc');
  });
});

describe('pivotByWeek', () => {
  const rows = [
    { week: '2025-02-10', who: 'Tom', n: 1 },
    { week: '2025-02-03', who: 'Sam', n: 2 },
    { week: '2025-02-03', who: 'Tom', n: 3 },
  ];

  it('makes one row per week in order, a column per key, filling gaps as asked', () => {
    expect(pivotByWeek(rows, (r) => r.who, (r) => r.n, 0)).toEqual({
      keys: ['Tom', 'Sam'],
      data: [
        { week: '2025-02-03', Sam: 2, Tom: 3 },
        { week: '2025-02-10', Tom: 1, Sam: 0 },
      ],
    });
    expect(pivotByWeek(rows, (r) => r.who, (r) => r.n, null).data[1]).toEqual({ week: '2025-02-10', Tom: 1, Sam: null });
  });

  it('adds up rows that land on the same week and key', () => {
    const twice = [...rows, { week: '2025-02-10', who: 'Tom', n: 4 }];
    expect(pivotByWeek(twice, (r) => r.who, (r) => r.n, 0).data[1]).toMatchObject({ Tom: 5 });
  });
});
