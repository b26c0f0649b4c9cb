import childProcess from 'node:child_process';
import { readdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import { log } from '@livekit/agents';

/** Niceness of a warm job process while it boots and waits for a session. */
const IDLE_NICENESS = 10;

/**
 * A warm job process is forked the moment its predecessor takes a session, and its start (Node,
 * agents-js: ~0.5 CPU-s; all its engines with AGENT_WARM_ENGINES=on) would compete with that
 * session, which is loading the voice for its greeting. So the supervisor lowers every job process
 * it forks after the first `initialPool` (the pool the worker starts with, when there is no session
 * to protect and it loads at full speed), as it forks it; the process goes back to normal when it
 * gets a session ({@link restoreNormalPriority}). agents-js has no hook for the processes its pool
 * starts: `child_process.fork` is wrapped, and `syncBuiltinESMExports` hands the wrapper to
 * agents-js's `import { fork }`. Only with a warm pool: without one every process is forked for a
 * session that is waiting. Returns the undo.
 */
let unwrappedFork: typeof childProcess.fork | undefined;

/**
 * `child_process.fork` without the wrapper below, for a child that is not a job process (the
 * worker's shared voice, which serves live sessions and must not wait at nice 10).
 */
export const forkAtNormalPriority: typeof childProcess.fork = function (this: unknown, ...args: Parameters<typeof childProcess.fork>) {
  return (unwrappedFork ?? childProcess.fork).apply(childProcess, args);
} as typeof childProcess.fork;

export function forkJobProcessesAtIdlePriority(initialPool: number): () => void {
  const original = childProcess.fork;
  unwrappedFork = original;
  let forked = 0;
  const wrapped = function (this: unknown, ...args: Parameters<typeof childProcess.fork>) {
    const child = original.apply(this, args);
    forked += 1;
    if (child.pid !== undefined && forked > initialPool) {
      try {
        os.setPriority(child.pid, IDLE_NICENESS);
      } catch {
        // Gone already: nothing to lower.
      }
    }
    return child;
  } as typeof childProcess.fork;
  childProcess.fork = wrapped;
  syncBuiltinESMExports();
  return () => {
    if (childProcess.fork !== wrapped) return;
    childProcess.fork = original;
    unwrappedFork = undefined;
    syncBuiltinESMExports();
  };
}

/**
 * Sets the niceness of every thread of this process. Linux keeps a niceness per thread and
 * `os.setPriority()` changes only the calling one; a job process forked at idle priority has all
 * its other threads (V8's helpers, libuv's pool where onnxruntime runs the VAD, native engines)
 * created at that priority, and they stayed there for the whole session: under load the VAD then
 * fell half a second behind the audio and a barge-in took ~2 s to stop the agent. Elsewhere (no
 * `/proc`) the calling thread is all it can change. Throws when a change is refused.
 */
function setProcessPriority(niceness: number): void {
  let threads: number[] = [];
  try {
    threads = readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
  } catch {
    // No /proc: the calling thread only.
  }
  os.setPriority(niceness);
  for (const tid of threads) {
    try {
      os.setPriority(tid, niceness);
    } catch (error) {
      // A thread that ended since the listing has nothing to change.
      if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') throw error;
    }
  }
}

/**
 * Back to normal priority for a live session, every thread of it. Raising priority needs
 * CAP_SYS_NICE (root has it; Docker's default capability set does not): without it every job
 * process stays at the same lower priority, so sessions still share the CPU fairly with each other.
 */
export function restoreNormalPriority(): void {
  try {
    setProcessPriority(0);
  } catch (error) {
    log().debug({ error }, 'job process keeps its idle priority (raising it needs CAP_SYS_NICE)');
  }
}

/**
 * A session that has ended (the trainee left, a limit was reached) still closes its voice session,
 * writes its last turns and encodes its recording: work nobody waits for, which on a busy host
 * competed with the next session's start. From then on the job process runs at idle priority, all
 * its threads (lowering needs no privilege); the children it starts from then on (ffmpeg) inherit it.
 */
export function lowerPriorityWhileFinishing(): void {
  try {
    if (os.getPriority() < IDLE_NICENESS) setProcessPriority(IDLE_NICENESS);
  } catch (error) {
    log().debug({ error }, 'could not lower the finishing job process');
  }
}
