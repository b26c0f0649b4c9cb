import { claimNextQueuedDocument, createDb, createDocument, type Db, getDocument, INGESTION_STALE_MS } from '@avatar-adam/db';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '@avatar-adam/db/embedded';
import { seedDemoData } from '@avatar-adam/db/seed';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPdf } from '../ingestion/sample-files';
import { resolveProviders } from '../providers/plan';
import { startIngestion } from './ingest-supervisor';

/*
 * The real arrangement: an embedded database served over the wire, the supervisor polling it, and
 * the ingestion process it forks (under the tsx loader, as the worker runs) indexing the upload.
 */

let server: EmbeddedDatabase;
let handle: Awaited<ReturnType<typeof createDb>>;
let db: Db;
let seeded: Awaited<ReturnType<typeof seedDemoData>>;
let ingestion: ReturnType<typeof startIngestion> | undefined;
const previous = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };

beforeAll(async () => {
  server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
  handle = await createDb({ url: server.url });
  db = handle.db;
  seeded = await seedDemoData({ db });
  // The forked process finds the database the way the worker's processes do: DATABASE_URL.
  process.env.DATABASE_URL = server.url;
  process.env.LOG_LEVEL = 'warn';
});
afterAll(async () => {
  await ingestion?.stop();
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await handle?.close();
  await server?.close();
});

async function waitForStatus(documentId: string, status: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = await getDocument({ db, dealershipId: seeded.dealershipId, documentId });
    if (doc.status === status || Date.now() > deadline) return doc;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const upload = async (filename: string, text: string) =>
  createDocument({ db, dealershipId: seeded.dealershipId, uploadedById: seeded.userIds.dealership_admin!, filename, bytes: await buildPdf([text]) });

describe('startIngestion (supervisor + forked ingestion process)', () => {
  it('indexes an upload within seconds, and takes over a document whose worker died mid-way', async () => {
    const logger = pino({ level: 'silent' });
    const resolved = await resolveProviders();
    const start = () => startIngestion({ db, resolved, logger, pollMs: 200, idleExitMs: 5_000, execArgv: ['--import', 'tsx'] });
    ingestion = start();

    const fresh = await upload('fresh.pdf', 'Credit life insurance pays off the loan if the borrower dies.');
    const started = Date.now();
    expect(await waitForStatus(fresh.id, 'ready', 60_000)).toMatchObject({ status: 'ready', chunkCount: 1 });
    expect(Date.now() - started).toBeLessThan(30_000);

    // A worker that claimed this document long ago and died: its claim is stale, so it is taken
    // again. Ours is stopped meanwhile, so the claim below is the only one until it restarts.
    await ingestion.stop();
    const orphan = await upload('orphan.pdf', 'Key replacement covers lost or stolen smart keys.');
    const claimed = await claimNextQueuedDocument({ db, now: new Date(Date.now() - INGESTION_STALE_MS - 60_000) });
    expect(claimed?.id).toBe(orphan.id);
    ingestion = start();
    expect(await waitForStatus(orphan.id, 'ready', 60_000)).toMatchObject({ status: 'ready', chunkCount: 1 });
  });
});
