/**
 * The `numIdleProcesses` to give agents-js for `AGENT_WARM_PROCESSES`. agents-js 1.9 reads its
 * option as `numIdleProcesses || default` (so 0 becomes one per core, up to 4) while its process
 * pool warms processes only when the number is above 0: -1 is how "none" gets through. With none,
 * the pool starts a job process for each session as it arrives. The worker tests check that a
 * worker started with 0 keeps no job process while idle and still greets a session.
 */
export function warmProcessesOption(warm: number): number {
  if (!Number.isInteger(warm) || warm < 0) throw new RangeError(`warm job processes must be a whole number ≥ 0, got ${warm}`);
  return warm === 0 ? -1 : warm;
}
