import { describe, expect, it } from 'vitest';
import { warmProcessesOption } from './warm-processes';

describe('warmProcessesOption', () => {
  it('passes a pool size through and turns 0 into the value agents-js keeps as "none"', () => {
    expect(warmProcessesOption(1)).toBe(1);
    expect(warmProcessesOption(4)).toBe(4);
    // agents-js: `numIdleProcesses || default` — 0 would become one per core.
    expect(warmProcessesOption(0)).toBe(-1);
  });

  it('refuses what is not a pool size', () => {
    expect(() => warmProcessesOption(-1)).toThrow(RangeError);
    expect(() => warmProcessesOption(1.5)).toThrow(RangeError);
  });
});
