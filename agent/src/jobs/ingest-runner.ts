import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TIngestDocumentJob } from '@avatar-adam/db/job-queue';
import type { TResolvedProviders } from '../providers/plan';
import type { TIngestChildReply, TIngestChildRequest } from './ingest-child';

/** The indexing process stays this long after its last document, so a batch of uploads starts warm. */
const IDLE_EXIT_MS = 120_000;

export const CRASH_REASON =
  'Reading this file crashed the document indexer twice, so it was stopped. The file may be damaged or unusually complex: export it again from the original (or save it as a simpler PDF) and upload the new file.';

/** Its name is kept in the failed job's stored error, so the dead-letter handler can tell a crash. */
export class IngestionCrashed extends Error {
  override name = 'IngestionCrashed';
}

type TResult = Extract<TIngestChildReply, { type: 'done' }>['result'];

/**
 * Runs `ingest-document` jobs in a forked indexing process (ingest-child.ts), one document at a
 * time, starting the process when a job arrives and after it died. A crash rejects the job's
 * promise with IngestionCrashed, so pg-boss retries the job and, when that crashes too,
 * dead-letters it (the document then ends failed with CRASH_REASON).
 */
export function createIngestionRunner(opts: {
  resolved: TResolvedProviders;
  idleExitMs?: number;
  /** Node flags of the child; by default this process's own (they carry the tsx loader). */
  execArgv?: string[];
}): { ingest(job: TIngestDocumentJob): Promise<TResult>; stop(): Promise<void> } {
  let child: ChildProcess | null = null;
  let waiting: { documentId: string; resolve: (r: TResult) => void; reject: (e: Error) => void } | null = null;
  let queue = Promise.resolve();

  const spawn = (): ChildProcess => {
    const started = fork(fileURLToPath(new URL('./ingest-child.ts', import.meta.url)), [], {
      execArgv: opts.execArgv ?? process.execArgv,
      stdio: 'inherit',
    });
    started.on('message', (reply: TIngestChildReply) => {
      const w = waiting;
      if (!w || reply.documentId !== w.documentId) return;
      waiting = null;
      if (reply.type === 'done') w.resolve(reply.result);
      else w.reject(new Error(reply.message));
    });
    started.on('exit', (code, signal) => {
      if (child === started) child = null;
      const w = waiting;
      waiting = null;
      w?.reject(new IngestionCrashed(`the document indexing process died (${signal ?? `exit code ${code}`}) while indexing ${w.documentId}`));
    });
    const start: TIngestChildRequest = { type: 'start', resolved: opts.resolved, idleExitMs: opts.idleExitMs ?? IDLE_EXIT_MS };
    started.send(start);
    return started;
  };

  const runOne = (job: TIngestDocumentJob) =>
    new Promise<TResult>((resolve, reject) => {
      child ??= spawn();
      waiting = { documentId: job.documentId, resolve, reject };
      const request: TIngestChildRequest = { type: 'ingest', ...job };
      child.send(request);
    });

  return {
    ingest(job) {
      // One document at a time in the one process: chained, whatever the worker's concurrency.
      const result = queue.then(() => runOne(job));
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
  };
}
