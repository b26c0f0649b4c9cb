import { type Db, getQueueDepth, listEmbeddingModelsInUse, pingDatabase } from '@avatar-adam/db';
import { getJobQueueDepth, listDeadJobs } from '@avatar-adam/db/job-queue-health';
import type { Logger } from 'pino';
import type { TPlatformProbe } from './admin-health-probe';

type TCheck<T> = { ok: true; value: T } | { ok: false; error: string };

/** A part that fails becomes a line on the page, not a failed page: the operator needs the rest. */
async function check<T>(what: string, logger: Logger, run: () => Promise<T>): Promise<TCheck<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    logger.warn({ err: error, check: what }, 'health check failed');
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Everything the super admin's health page shows, each part checked on its own and in parallel:
 * the database (a round trip), LiveKit (an authenticated room listing), each agent worker's own
 * health server, the work queued in the database and in the job queue (with its dead jobs), and
 * which engines and models are in play.
 */
export async function readPlatformHealth(ctx: { db: Db; platform: TPlatformProbe; logger: Logger }) {
  const { db, platform, logger } = ctx;
  const [database, livekit, agentWorkers, queue, jobQueues, deadJobs, installedModels, embeddingModels] = await Promise.all([
    check('database', logger, () => pingDatabase({ db })),
    platform.checkLiveKit(),
    check('agent workers', logger, () => platform.checkAgentWorkers()),
    check('queue depth', logger, () => getQueueDepth({ db })),
    check('job queues', logger, () => getJobQueueDepth({ db })),
    check('dead jobs', logger, () => listDeadJobs({ db, limit: 20 })),
    check('installed models', logger, () => platform.listInstalledModels()),
    check('embedding models', logger, () => listEmbeddingModelsInUse({ db })),
  ]);
  return {
    checkedAt: new Date(),
    database: database.ok ? { ok: true as const, latencyMs: database.value } : { ok: false as const, error: database.error },
    livekit,
    agentWorkers: agentWorkers.ok ? agentWorkers.value : [],
    agentWorkersError: agentWorkers.ok ? null : agentWorkers.error,
    queue: queue.ok ? queue.value : null,
    /** pg-boss, per queue: waiting, running, dead-lettered in the last week. */
    jobQueues: jobQueues.ok ? jobQueues.value : null,
    /** The newest dead-lettered jobs with their last error and what the job worker did about them. */
    deadJobs: deadJobs.ok ? deadJobs.value : null,
    providers: {
      settings: platform.providerSettings,
      installedModels: installedModels.ok ? installedModels.value : [],
      embeddingModels: embeddingModels.ok ? embeddingModels.value : null,
    },
  };
}
