import os from 'node:os';
import { createDb } from '@avatar-adam/db';
import { pino } from 'pino';
import { env } from '../env';
import { createIngestionEmbedder } from '../ingestion/embedder';
import type { TResolvedProviders } from '../providers/plan';
import { ingestDocument } from './ingest';

/*
 * The document indexing process, forked by the job worker's ingestion runner (ingest-runner.ts)
 * for `ingest-document` jobs. Its own process, at lower priority: parsing a large PDF and
 * embedding it takes CPU-seconds that must not come out of anything else, and a file that
 * crashes the parser takes down only this process (the job fails and is retried, then
 * dead-lettered). It stays up between documents so a batch of uploads keeps the model loaded,
 * and exits after a while without one, so an idle worker holds no PDF library or model.
 */

export type TIngestChildRequest =
  | { type: 'start'; resolved: TResolvedProviders; idleExitMs: number }
  | { type: 'ingest'; documentId: string; dealershipId: string };
export type TIngestChildReply =
  | { type: 'done'; documentId: string; result: Awaited<ReturnType<typeof ingestDocument>> }
  | { type: 'error'; documentId: string; message: string };

const LOWER_PRIORITY = 10;
const logger = pino({ name: 'ingest', level: env.LOG_LEVEL, base: { service: 'jobs-ingest', pid: process.pid } });
const send = (message: TIngestChildReply) => process.send?.(message);

let ready: Promise<{ db: Awaited<ReturnType<typeof createDb>>['db']; embedder: Awaited<ReturnType<typeof createIngestionEmbedder>> }> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let idleExitMs = 120_000;

function armIdleExit() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    logger.info('no documents for a while; indexing process exits');
    process.exit(0);
  }, idleExitMs);
}

async function start(message: Extract<TIngestChildRequest, { type: 'start' }>) {
  try {
    os.setPriority(LOWER_PRIORITY);
  } catch {
    // Not permitted in some containers: indexing at normal priority is still correct.
  }
  idleExitMs = message.idleExitMs;
  const { db } = await createDb({ url: env.DATABASE_URL });
  const embedder = await createIngestionEmbedder(message.resolved);
  logger.info({ embeddings: embedder.provider?.id ?? null }, `document indexing process started: ${embedder.description}`);
  return { db, embedder };
}

async function ingest(message: Extract<TIngestChildRequest, { type: 'ingest' }>) {
  clearTimeout(idleTimer);
  try {
    const { db, embedder } = await ready!;
    const result = await ingestDocument({ db, embeddings: embedder.provider, logger, documentId: message.documentId, dealershipId: message.dealershipId });
    send({ type: 'done', documentId: message.documentId, result });
  } catch (error) {
    // The database, not the file (file problems end as failed documents): the job is retried.
    send({ type: 'error', documentId: message.documentId, message: error instanceof Error ? error.message : String(error) });
  }
  armIdleExit();
}

// The worker went away (stopped or crashed): so does this process. A document in progress stays
// `processing`; its job expires and is retried.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: TIngestChildRequest) => {
  if (message.type === 'start') {
    ready = start(message);
    ready.catch((error: unknown) => {
      logger.error({ err: error }, 'document indexing process could not start');
      process.exit(1);
    });
    armIdleExit();
  } else void ingest(message);
});
