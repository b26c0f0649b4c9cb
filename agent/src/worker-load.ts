import { availableParallelism } from 'node:os';

/**
 * Measured on the 2-core development machine: a practice session with the trainee talking
 * continuously (Silero VAD, flite voice, WebRTC audio) costs about a fifth of a CPU core.
 */
const SESSIONS_PER_CORE = 4;

/**
 * The load this worker reports to LiveKit, from the sessions it runs rather than from the
 * machine's CPU (the agents-js default). LiveKit stops dispatching to a worker at a load of 0.7,
 * and it does not retry a refused dispatch, so with the CPU measure any spike on a small machine
 * (a neighbour process, the pool warming its next job process) silently left a trainee in a room
 * without an agent. Counting sessions keeps dispatch predictable: ~6 concurrent sessions on 2 cores.
 */
export function sessionLoad(activeJobs: number, cores = availableParallelism()): number {
  return Math.min(activeJobs / (cores * SESSIONS_PER_CORE), 1);
}
