import { describe, expect, it } from 'vitest';
import { sessionLoad } from './worker-load';

/** LiveKit's default target: it only dispatches to workers reporting less than this. */
const LIVEKIT_TARGET_LOAD = 0.7;

describe('sessionLoad', () => {
  it('leaves an idle worker fully available, whatever else the machine is doing', () => {
    expect(sessionLoad(0, 2)).toBe(0);
  });

  it('takes six concurrent sessions on two cores, then refuses the seventh', () => {
    const accepted = Array.from({ length: 12 }, (_, jobs) => sessionLoad(jobs, 2) < LIVEKIT_TARGET_LOAD);
    expect(accepted.filter(Boolean)).toHaveLength(6);
    expect(accepted.slice(0, 6).every(Boolean)).toBe(true);
  });

  it('never reports more than full', () => {
    expect(sessionLoad(100, 1)).toBe(1);
  });
});
