import os from 'node:os';
import { log } from '@livekit/agents';

/** Niceness of a job process while it boots and loads its engines. */
const IDLE_NICENESS = 10;
/** Job processes started this soon after the worker are its initial pool. */
const INITIAL_POOL_MS = 20_000;

/** Called by the worker's supervisor before it starts job processes (they inherit the env). */
export function markWorkerStart(): void {
  process.env.AVATAR_ADAM_WORKER_STARTED_AT = String(Date.now());
}

/**
 * A job process starts the moment the pool hands its predecessor a session, and loading its
 * engines takes several CPU-seconds. On a small machine that load would compete with the session
 * that just began — its greeting stuttered by a second or more — so the process loads at a lower
 * priority and goes back to normal when it gets a session of its own.
 */
export function lowerPriorityWhileIdle(): void {
  // The first job processes start with the worker, when no session exists yet to protect: they
  // load at full speed so the worker is ready sooner.
  const workerStartedAt = Number(process.env.AVATAR_ADAM_WORKER_STARTED_AT);
  if (Number.isFinite(workerStartedAt) && Date.now() - workerStartedAt < INITIAL_POOL_MS) return;
  try {
    os.setPriority(IDLE_NICENESS);
  } catch {
    // Not permitted (some containers): loading at normal priority is still correct, only slower for others.
  }
}

/**
 * Back to normal priority for a live session. Raising priority needs CAP_SYS_NICE (root has it;
 * Docker's default capability set does not): without it every job process stays at the same lower
 * priority, so sessions still share the CPU fairly with each other.
 */
export function restoreNormalPriority(): void {
  try {
    if (os.getPriority() !== 0) os.setPriority(0);
  } catch (error) {
    log().debug({ error }, 'job process keeps its idle priority (raising it needs CAP_SYS_NICE)');
  }
}
