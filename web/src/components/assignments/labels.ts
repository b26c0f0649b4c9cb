import type { TAssignmentStatus } from '@avatar-adam/db';

export const STATUS_LABELS: Record<TAssignmentStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  passed: 'Passed',
  overdue: 'Overdue',
};

const dueFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
export const formatDue = (date: Date) => dueFormat.format(date);

/** Today + `days` as the YYYY-MM-DD a date input holds, in the browser's time zone. */
export function dateInputValue(days: number, from = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A due date picked as a calendar day means "by the end of that day" where the manager is, so a
 * trainee who practises that evening is on time. Null for a day that does not exist.
 */
export function endOfLocalDay(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const end = new Date(y, m - 1, d, 23, 59, 59, 999);
  return end.getFullYear() === y && end.getMonth() === m - 1 && end.getDate() === d ? end : null;
}
