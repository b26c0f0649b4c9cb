import { describe, expect, it } from 'vitest';
import { describeStartedAgo } from './started-ago';

const now = new Date('2026-11-20T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('describeStartedAgo', () => {
  it('says "just now" for the first minute, also when the server clock is slightly ahead', () => {
    expect(describeStartedAgo(ago(59_000), now)).toBe('Started just now');
    expect(describeStartedAgo(ago(-2_000), now)).toBe('Started just now');
  });

  it('counts whole minutes, then hours and minutes', () => {
    expect(describeStartedAgo(ago(60_000), now)).toBe('Started 1 min ago');
    expect(describeStartedAgo(ago(59 * 60_000 + 59_000), now)).toBe('Started 59 min ago');
    expect(describeStartedAgo(ago(60 * 60_000), now)).toBe('Started 1 h ago');
    expect(describeStartedAgo(ago(75 * 60_000), now)).toBe('Started 1 h 15 min ago');
  });
});
