import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Db, failIngestion, hasIngestionWork } from '@avatar-adam/db';
import type { TResolvedProviders } from '../providers/plan';
import type { TIngestChildMessage, TIngestStartMessage } from './ingest-process';

/** How soon an upload starts being indexed: the queue is looked at this often (one cheap query). */
export const INGEST_POLL_MS = 2_000;
/** The ingestion process stays this long after its last document, so a batch of uploads starts warm. */
const IDLE_EXIT_MS = 120_000;
/** After a crash, wait this long before starting the process again. */
const RESTART_DELAY_MS = 5_000;
const CRASHES_BEFORE_FAILING = 2;

export const CRASH_REASON =
  'Reading this file crashed the document indexer twice, so it was stopped. The file may be damaged or unusually complex: export it again from the original (or save it as a simpler PDF) and upload the new file.';

type TLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

/**
 * Runs in the worker's supervisor: every INGEST_POLL_MS it checks the document queue and, when
 * something waits and no ingestion process runs, forks one (ingest-process.ts). The process exits
 * when idle, so an idle worker holds no PDF parser or embedding model. If the process dies while
 * holding a document, the document is taken again once its claim goes stale; a document that
 * crashed it twice is failed with CRASH_REASON instead of crashing it forever.
 */
export function startIngestion(opts: {
  db: Db;
  resolved: TResolvedProviders;
  logger: TLogger;
  pollMs?: number;
  idleExitMs?: number;
  /** Node flags of the child; by default this process's own (they carry the tsx loader). */
  execArgv?: string[];
}): { stop(): Promise<void> } {
  const { db, logger } = opts;
  const pollMs = opts.pollMs ?? INGEST_POLL_MS;
  const crashes = new Map<string, number>();
  let child: ChildProcess | null = null;
  let holding: { documentId: string; dealershipId: string } | null = null;
  let pausedUntil = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const spawnChild = () => {
    const started = fork(fileURLToPath(new URL('./ingest-process.ts', import.meta.url)), [], {
      execArgv: opts.execArgv ?? process.execArgv,
      stdio: 'inherit',
    });
    child = started;
    started.on('message', (message: TIngestChildMessage) => {
      if (message.type === 'claimed') holding = { documentId: message.documentId, dealershipId: message.dealershipId };
      else {
        crashes.delete(message.documentId);
        holding = null;
      }
    });
    started.on('exit', (code, signal) => {
      const held = holding;
      child = null;
      holding = null;
      // SIGTERM/SIGINT reach the whole process group when the worker is being stopped: not a crash.
      if (code === 0 || stopped || signal === 'SIGTERM' || signal === 'SIGINT') return;
      pausedUntil = Date.now() + RESTART_DELAY_MS;
      logger.error({ code, signal, documentId: held?.documentId }, 'document ingestion process died');
      if (held) void countCrash(held);
    });
    const start: TIngestStartMessage = { type: 'start', resolved: opts.resolved, pollMs, idleExitMs: opts.idleExitMs ?? IDLE_EXIT_MS };
    started.send(start);
  };

  const countCrash = async (held: { documentId: string; dealershipId: string }) => {
    const count = (crashes.get(held.documentId) ?? 0) + 1;
    crashes.set(held.documentId, count);
    if (count < CRASHES_BEFORE_FAILING) return;
    crashes.delete(held.documentId);
    try {
      await failIngestion({ db, ...held, reason: CRASH_REASON });
      logger.warn({ documentId: held.documentId }, 'document failed after crashing the ingestion process repeatedly');
    } catch (error) {
      logger.warn({ err: error, documentId: held.documentId }, 'could not mark a crashing document failed');
    }
  };

  const tick = async () => {
    try {
      if (!child && Date.now() >= pausedUntil && (await hasIngestionWork({ db }))) spawnChild();
    } catch (error) {
      logger.warn({ err: error }, 'checking the document queue failed; retrying');
    }
    if (!stopped) timer = setTimeout(() => void tick(), pollMs).unref();
  };
  void tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const running: ChildProcess | null = child;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
  };
}
