import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
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
 * The supervisor's side of {@link lowerPriorityWhileIdle}: a warm job process boots Node and
 * agents-js (~0.5 CPU-s) before its own code runs and can lower its priority, and it is forked the
 * moment its predecessor takes a session, which is then loading the voice for its greeting. So the
 * supervisor lowers every job process it forks after the first `initialPool` (the pool the worker
 * starts with, loaded at full speed) as it forks it. agents-js has no hook for the processes its
 * pool starts: `child_process.fork` is wrapped, and `syncBuiltinESMExports` hands the wrapper to
 * agents-js's `import { fork }`. Only with a warm pool: without one every process is forked for a
 * session that is waiting. Returns the undo.
 */
export function forkJobProcessesAtIdlePriority(initialPool: number): () => void {
  const original = childProcess.fork;
  let forked = 0;
  const wrapped = function (this: unknown, ...args: Parameters<typeof childProcess.fork>) {
    const child = original.apply(this, args);
    forked += 1;
    if (child.pid !== undefined && forked > initialPool) {
      try {
        os.setPriority(child.pid, IDLE_NICENESS);
      } catch {
        // Gone already, or not permitted: the process lowers its own priority once its code loads.
      }
    }
    return child;
  } as typeof childProcess.fork;
  childProcess.fork = wrapped;
  syncBuiltinESMExports();
  return () => {
    if (childProcess.fork !== wrapped) return;
    childProcess.fork = original;
    syncBuiltinESMExports();
  };
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
