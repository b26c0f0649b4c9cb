/**
 * An assignment's status is never stored: it is derived from the trainee's sessions that count
 * for it (see assignments-progress.ts), so it cannot disagree with their history.
 */
export const ASSIGNMENT_STATUSES = ['not_started', 'in_progress', 'passed', 'overdue'] as const;
export type TAssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * passed — a counted session has a complete scorecard at or above the pass mark without a
 *   compliance auto-fail (final, even if it came after the due date);
 * overdue — not passed and the due date has gone by;
 * in_progress — not passed, not yet due, at least one attempt;
 * not_started — no attempt yet, not yet due.
 */
export function deriveAssignmentStatus(
  progress: { dueAt: Date; attempts: number; passed: boolean },
  now: Date,
): TAssignmentStatus {
  if (progress.passed) return 'passed';
  if (now.getTime() > progress.dueAt.getTime()) return 'overdue';
  return progress.attempts > 0 ? 'in_progress' : 'not_started';
}

