import {
  claimDocumentForIngestion,
  claimNextQueuedDocument,
  completeIngestion,
  type Db,
  failIngestion,
  getDocumentFile,
  touchIngestion,
  type TClaimedDocument,
} from '@avatar-adam/db';
import type { Logger } from 'pino';
import { embedPassages } from '../ingestion/embed-passages';
import { DocumentUnreadable } from '../ingestion/errors';
import { chunkExtracted, extractDocument } from '../ingestion/extract';
import type { EmbeddingProvider } from '../providers/embeddings';

/** How often a job in progress renews its claim (well inside INGESTION_STALE_MS). */
const TOUCH_EVERY_MS = 10_000;

export const INTERNAL_FAILURE_REASON =
  'Indexing stopped because of an error on our side, not because of the file. Use Re-index to try again.';

export type TIngestTimings = { extractMs: number; chunkMs: number; embedMs: number; storeMs: number; totalMs: number };

export type TIngestResult = {
  documentId: string;
  dealershipId: string;
  /** `abandoned`: deleted while being indexed (nothing is written). */
  status: 'ready' | 'failed' | 'abandoned';
  reason?: string;
  pages: number | null;
  chunks: number;
  embedded: number;
  timings: TIngestTimings;
};

class Abandoned extends Error {}

/**
 * Claims the next queued document (any dealership) and indexes it (ingestClaimedDocument). Null
 * when the queue is empty. Used by tests and the ingestion benchmark; the job worker indexes the
 * document its job names (ingestDocument).
 */
export async function ingestNextDocument(opts: TIngestOptions): Promise<TIngestResult | null> {
  const claimed = await claimNextQueuedDocument({ db: opts.db });
  if (!claimed) return null;
  opts.onClaimed?.(claimed);
  return ingestClaimedDocument({ ...opts, claimed });
}

/**
 * Indexes the document an `ingest-document` job names, re-checked against the job's dealership:
 * `refused` (nothing read or written) when that dealership has no such document, `skipped` when
 * it is no longer waiting (already indexed, failed, or handled by a duplicate job).
 */
export async function ingestDocument(
  opts: TIngestOptions & { documentId: string; dealershipId: string },
): Promise<TIngestResult | { status: 'refused' | 'skipped'; documentId: string; reason: string }> {
  const claim = await claimDocumentForIngestion(opts);
  if (claim.status === 'not_found') {
    return { status: 'refused', documentId: opts.documentId, reason: 'no such document for this dealership' };
  }
  if (claim.status === 'not_waiting') return { status: 'skipped', documentId: opts.documentId, reason: `document is ${claim.current}` };
  opts.onClaimed?.(claim.document);
  return ingestClaimedDocument({ ...opts, claimed: claim.document });
}

type TIngestOptions = {
  db: Db;
  embeddings: EmbeddingProvider | null;
  logger: Logger;
  /** Told which document is being worked on. */
  onClaimed?: (doc: TClaimedDocument) => void;
};

/**
 * extract → chunk → embed → completeIngestion, or failIngestion with the reason. A crash
 * part-way leaves the document `processing` with no change to its passages; the job is retried.
 */
export async function ingestClaimedDocument(opts: TIngestOptions & { claimed: TClaimedDocument }): Promise<TIngestResult> {
  const { db, logger, claimed } = opts;
  const scope = { db, dealershipId: claimed.dealershipId, documentId: claimed.id };
  const log = logger.child({ documentId: claimed.id, dealershipId: claimed.dealershipId, mime: claimed.mime, reindex: claimed.reindex });
  const started = performance.now();
  const timings: TIngestTimings = { extractMs: 0, chunkMs: 0, embedMs: 0, storeMs: 0, totalMs: 0 };
  const result = (status: TIngestResult['status'], extra: Partial<TIngestResult> = {}): TIngestResult => {
    timings.totalMs = performance.now() - started;
    for (const key of Object.keys(timings) as Array<keyof TIngestTimings>) timings[key] = Math.round(timings[key] * 10) / 10;
    return { documentId: claimed.id, dealershipId: claimed.dealershipId, status, pages: null, chunks: 0, embedded: 0, timings, ...extra };
  };
  let lastTouch = performance.now();
  const keepClaim = async () => {
    if (performance.now() - lastTouch < TOUCH_EVERY_MS) return;
    lastTouch = performance.now();
    if (!(await touchIngestion(scope))) throw new Abandoned();
  };

  try {
    const bytes = await getDocumentFile(scope);
    if (!bytes) throw new DocumentUnreadable('The uploaded file is missing. Delete this document and upload the file again.');
    let t = performance.now();
    const extracted = await extractDocument({ bytes, mime: claimed.mime });
    timings.extractMs = performance.now() - t;
    t = performance.now();
    const passages = chunkExtracted(extracted);
    timings.chunkMs = performance.now() - t;
    await keepClaim();
    t = performance.now();
    const embedded = await embedPassages({ passages, embeddings: opts.embeddings, afterBatch: keepClaim });
    timings.embedMs = performance.now() - t;
    if (embedded.error !== undefined) {
      log.warn({ err: embedded.error, embedded: embedded.embedded, passages: passages.length }, 'embedding failed; passages stored for full-text search and embedded later');
    }
    t = performance.now();
    const stored = await completeIngestion({ ...scope, chunks: embedded.chunks });
    timings.storeMs = performance.now() - t;
    const pages = extracted.format === 'pdf' ? extracted.pages.length : null;
    if (!stored) throw new Abandoned();
    const done = result('ready', { pages, chunks: passages.length, embedded: embedded.embedded });
    log.info({ pages, chunks: done.chunks, embedded: done.embedded, timings }, 'document indexed');
    return done;
  } catch (error) {
    if (error instanceof Abandoned) {
      log.info('document deleted or taken over while being indexed; nothing written');
      return result('abandoned');
    }
    const unreadable = error instanceof DocumentUnreadable;
    const reason = unreadable ? error.message : INTERNAL_FAILURE_REASON;
    if (unreadable) log.info({ reason, cause: error.cause instanceof Error ? error.cause.message : undefined }, 'document cannot be indexed');
    else log.error({ err: error }, 'document indexing failed');
    await failIngestion({ ...scope, reason });
    return result('failed', { reason });
  }
}

/** Indexes documents one after another until the queue is empty; returns how many it took. */
export async function drainIngestionQueue(opts: Parameters<typeof ingestNextDocument>[0]): Promise<TIngestResult[]> {
  const results: TIngestResult[] = [];
  for (let next = await ingestNextDocument(opts); next; next = await ingestNextDocument(opts)) results.push(next);
  return results;
}
