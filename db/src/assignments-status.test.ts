import { describe, expect, it } from 'vitest';
import { deriveAssignmentStatus } from './assignments-status';

const now = new Date('2026-05-10T12:00:00Z');
const due = (iso: string) => new Date(iso);

describe('deriveAssignmentStatus', () => {
  it('moves from not started to in progress with the first attempt', () => {
    expect(deriveAssignmentStatus({ dueAt: due('2026-05-20T00:00:00Z'), attempts: 0, passed: false }, now)).toBe('not_started');
    expect(deriveAssignmentStatus({ dueAt: due('2026-05-20T00:00:00Z'), attempts: 2, passed: false }, now)).toBe('in_progress');
  });

  it('is overdue once the due date passes without a pass, whether or not it was attempted', () => {
    expect(deriveAssignmentStatus({ dueAt: due('2026-05-10T11:59:59Z'), attempts: 0, passed: false }, now)).toBe('overdue');
    expect(deriveAssignmentStatus({ dueAt: due('2026-05-01T00:00:00Z'), attempts: 3, passed: false }, now)).toBe('overdue');
  });

  it('stays passed after the due date', () => {
    expect(deriveAssignmentStatus({ dueAt: due('2026-05-01T00:00:00Z'), attempts: 1, passed: true }, now)).toBe('passed');
  });
});
