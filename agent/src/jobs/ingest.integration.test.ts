import { createDocument, getDocument, requestReindex, schema, searchKnowledge } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocx, buildEncryptedPdf, buildPdf } from '../ingestion/sample-files';
import { createLocalEmbeddings } from '../providers/embeddings-local';
import type { EmbeddingProvider } from '../providers/embeddings';
import { drainIngestionQueue, ingestNextDocument } from './ingest';

const { documentChunks } = schema;
const logger = pino({ level: 'silent' });

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
let minilm: EmbeddingProvider;
const lakeside = () => t.seeded.dealershipId;

beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
  const choice = await createLocalEmbeddings();
  if (!choice.provider) throw new Error(`${choice.reason}; run: ${choice.fix}`);
  minilm = choice.provider;
}, 120_000);
afterAll(() => t.close());

const upload = (filename: string, bytes: Uint8Array) =>
  createDocument({ db: t.db, dealershipId: lakeside(), uploadedById: users.lakeside.manager.id, filename, bytes });
const chunksOf = (documentId: string) => t.db.select().from(documentChunks).where(eq(documentChunks.documentId, documentId)).orderBy(documentChunks.ordinal);
const scope = (documentId: string) => ({ db: t.db, dealershipId: lakeside(), documentId });

async function ask(question: string, dealershipId = lakeside()) {
  const [vector] = await minilm.embed([question]);
  return searchKnowledge({ db: t.db, dealershipId, query: question, queryEmbedding: Array.from(vector!), embeddingModel: minilm.id });
}

describe('upload → ingestion → retrieval', () => {
  it('indexes a PDF with page numbers and vectors; the coach finds the passage for that dealership only', async () => {
    const doc = await upload('lakeside-tire-wheel.pdf', await buildPdf([
      'Lakeside tire and wheel guide',
      'The Lakeside Tire Shield plan replaces a tire damaged by a pothole, nail or road debris, with no deductible, for five years.',
    ]));
    const result = await ingestNextDocument({ db: t.db, embeddings: minilm, logger });
    expect(result).toMatchObject({ documentId: doc.id, status: 'ready', pages: 2, chunks: 2, embedded: 2 });

    expect(await getDocument(scope(doc.id))).toMatchObject({ status: 'ready', chunkCount: 2, error: null });
    const chunks = await chunksOf(doc.id);
    expect(chunks.map((c) => [c.page, c.embeddingModel, c.embedding?.length])).toEqual([
      [1, minilm.id, 384],
      [2, minilm.id, 384],
    ]);

    const [hit] = await ask('What happens if I hit a pothole and ruin a tire?');
    expect(hit).toMatchObject({ documentId: doc.id, page: 2, title: 'lakeside tire wheel', matchedBy: expect.arrayContaining(['vector']) });
    expect((await ask('Tire Shield pothole', users.other.dealershipId)).filter((h) => h.documentId === doc.id)).toEqual([]);
  });

  it('without an embedding model the passages are stored without vectors and found by full text', async () => {
    const doc = await upload('zephyr.docx', await buildDocx([{ heading: 'Zephyr key care' }, { paragraph: 'Zephyr key replacement costs nothing for members.' }]));
    await expect(ingestNextDocument({ db: t.db, embeddings: null, logger })).resolves.toMatchObject({ status: 'ready', chunks: 1, embedded: 0 });
    expect((await chunksOf(doc.id)).map((c) => [c.heading, c.embedding])).toEqual([['Zephyr key care', null]]);
    const [hit] = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'zephyr key replacement' });
    expect(hit).toMatchObject({ documentId: doc.id, heading: 'Zephyr key care', matchedBy: ['text'] });
  });

  it('fails an encrypted or empty file with its reason and indexes nothing of it', async () => {
    const locked = await upload('locked.pdf', await buildEncryptedPdf());
    const blank = await upload('blank.txt', new Uint8Array(Buffer.from('\n\n   \n')));
    const results = await drainIngestionQueue({ db: t.db, embeddings: minilm, logger });
    expect(results.map((r) => [r.documentId, r.status])).toEqual([
      [locked.id, 'failed'],
      [blank.id, 'failed'],
    ]);
    expect(await getDocument(scope(locked.id))).toMatchObject({ status: 'failed', chunkCount: 0, error: expect.stringMatching(/^This PDF is password-protected/) });
    expect(await getDocument(scope(blank.id))).toMatchObject({ status: 'failed', error: expect.stringMatching(/no text to index/) });
    expect([...(await chunksOf(locked.id)), ...(await chunksOf(blank.id))]).toEqual([]);
    const hits = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'confidential dealer reserve schedule' });
    expect(hits.filter((h) => h.documentId === locked.id)).toEqual([]);
  });

  it('re-indexing a ready document replaces its passages at once; the old ones answer meanwhile', async () => {
    const doc = await upload('quasar.md', new Uint8Array(Buffer.from('# Quasar policy\n\nQuasar appearance protection covers door dings.')));
    await ingestNextDocument({ db: t.db, embeddings: minilm, logger });
    const before = (await chunksOf(doc.id)).map((c) => c.id);

    await requestReindex({ ...scope(doc.id), actorId: users.lakeside.manager.id });
    const [stillThere] = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'quasar door dings' });
    expect(stillThere?.chunkId).toBe(before[0]);

    await expect(ingestNextDocument({ db: t.db, embeddings: minilm, logger })).resolves.toMatchObject({ documentId: doc.id, status: 'ready' });
    const after = await chunksOf(doc.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]);
    expect(after[0]!.text).toBe('Quasar appearance protection covers door dings.');
    expect(await ingestNextDocument({ db: t.db, embeddings: minilm, logger })).toBeNull();
  });
});
