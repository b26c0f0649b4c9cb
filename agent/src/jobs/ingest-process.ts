import os from 'node:os';
import { createDb, hasIngestionWork } from '@avatar-adam/db';
import { pino } from 'pino';
import { env } from '../env';
import { createIngestionEmbedder } from '../ingestion/embedder';
import type { TResolvedProviders } from '../providers/plan';
import { ingestNextDocument } from './ingest';

/*
 * The document ingestion process, forked by the worker's supervisor (ingest-supervisor.ts) when
 * documents are waiting. It indexes them one at a time, then exits after a while without work.
 * Its own process, at lower priority: parsing a large PDF and embedding it takes CPU-seconds that
 * must not come out of a live voice session, and a file that crashes the parser takes down only
 * this process. The supervisor sends the provider plan it resolved at start (one model choice).
 */

export type TIngestStartMessage = { type: 'start'; resolved: TResolvedProviders; pollMs: number; idleExitMs: number };
export type TIngestChildMessage = { type: 'claimed'; documentId: string; dealershipId: string } | { type: 'finished'; documentId: string };

const LOWER_PRIORITY = 10;
const logger = pino({ name: 'ingest', level: env.LOG_LEVEL, base: { service: 'agent-ingest', pid: process.pid } });
const send = (message: TIngestChildMessage) => process.send?.(message);

async function run(start: TIngestStartMessage): Promise<void> {
  try {
    os.setPriority(LOWER_PRIORITY);
  } catch {
    // Not permitted in some containers: indexing at normal priority is still correct.
  }
  const { db, close } = await createDb({ url: env.DATABASE_URL });
  const embedder = await createIngestionEmbedder(start.resolved);
  logger.info({ embeddings: embedder.provider?.id ?? null }, `document ingestion started: ${embedder.description}`);
  let idleSince = Date.now();
  const pause = () => new Promise((resolve) => setTimeout(resolve, start.pollMs));
  while (Date.now() - idleSince < start.idleExitMs) {
    try {
      if (!(await hasIngestionWork({ db }))) {
        await pause();
        continue;
      }
      const result = await ingestNextDocument({
        db,
        embeddings: embedder.provider,
        logger,
        onClaimed: (doc) => send({ type: 'claimed', documentId: doc.id, dealershipId: doc.dealershipId }),
      });
      if (result) send({ type: 'finished', documentId: result.documentId });
      idleSince = Date.now();
    } catch (error) {
      // The database, not the file (file problems end as failed documents): the claim, if any,
      // goes stale and is taken again; this process keeps polling until the database is back.
      logger.warn({ err: error }, 'ingestion pass failed; retrying');
      await pause();
    }
  }
  logger.info('no documents waiting; ingestion process exits');
  await close();
  process.exit(0);
}

// The supervisor went away (worker stopped or crashed): so does this process. A document in
// progress stays `processing` and is claimed again once its claim goes stale.
process.on('disconnect', () => process.exit(0));
process.once('message', (message: TIngestStartMessage) => {
  run(message).catch((error: unknown) => {
    logger.error({ err: error }, 'document ingestion process failed');
    process.exit(1);
  });
});
