import { describe, expect, it } from 'vitest';
import { dateInputValue, endOfLocalDay } from './labels';

describe('due dates', () => {
  it('a picked day means the end of that day in the browser’s time zone', () => {
    const end = endOfLocalDay('2026-03-08')!;
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([2026, 2, 8, 23, 59]);
  });

  it('refuses days that do not exist or are not dates', () => {
    expect(endOfLocalDay('2026-02-30')).toBeNull();
    expect(endOfLocalDay('')).toBeNull();
    expect(endOfLocalDay('next friday')).toBeNull();
  });

  it('offers a default a week ahead as a date input value', () => {
    expect(dateInputValue(7, new Date(2026, 11, 28))).toBe('2027-01-04');
  });
});
