import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { enqueueIngestDocument, enqueueScoreSession, QUEUES } from './job-queue';
import { listSessionsAwaitingScorecard } from './scorecards';
import { documents } from './schema';

/** Work older than this with no job of its own is given one. */
const SWEEP_GRACE_MS = 60_000;

/**
 * The backstop behind the producers, which enqueue in the same transaction as their row: queued
 * documents and finished, unscored sessions that have no waiting or running job get one — rows
 * from before the queue existed, sessions failed by the reaper, a job deleted by hand. Enqueueing
 * is idempotent per document / session, so two workers sweeping at once add nothing twice.
 */
export async function sweepUnqueuedWork(opts: { db: Db; now?: Date }): Promise<{ documents: number; sessions: number }> {
  const now = opts.now ?? new Date();
  const hasLiveJob = (queue: string, key: ReturnType<typeof sql>) =>
    sql`exists (select 1 from pgboss.job j where j.name = ${queue} and j.singleton_key = ${key} and j.state < 'completed')`;
  const waitingDocs = await opts.db
    .select({ id: documents.id, dealershipId: documents.dealershipId })
    .from(documents)
    .where(
      and(
        eq(documents.status, 'queued'),
        lt(documents.updatedAt, new Date(now.getTime() - SWEEP_GRACE_MS)),
        sql`not ${hasLiveJob(QUEUES.ingestDocument, sql`${documents.id}::text`)}`,
      ),
    )
    .limit(100);
  for (const doc of waitingDocs) await enqueueIngestDocument({ db: opts.db, documentId: doc.id, dealershipId: doc.dealershipId });

  let sessions = 0;
  for (const session of await listSessionsAwaitingScorecard({ db: opts.db, now, limit: 100 })) {
    if (await enqueueScoreSession({ db: opts.db, ...session })) sessions++;
  }
  return { documents: waitingDocs.length, sessions };
}
