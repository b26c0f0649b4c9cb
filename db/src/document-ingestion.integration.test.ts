import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimNextQueuedDocument,
  completeIngestion,
  failIngestion,
  hasIngestionWork,
  INGESTION_STALE_MS,
  touchIngestion,
  type TIngestedChunk,
} from './document-ingestion';
import { createDocument, deleteDocument, getDocument, requestReindex } from './documents';
import { searchKnowledge } from './retrieval';
import { documentChunks, documents } from './schema';
import { createTenantUsers, createTestDb } from './testing';

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
const lakeside = () => t.seeded.dealershipId;
let counter = 0;

beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
});
afterAll(() => t.close());
// Every test starts from an empty queue, whatever the previous one left.
beforeEach(async () => {
  await t.db.update(documents).set({ status: 'failed' }).where(inArray(documents.status, ['queued', 'processing']));
});

const upload = (text: string, dealershipId = lakeside()) =>
  createDocument({ db: t.db, dealershipId, uploadedById: dealershipId === lakeside() ? users.lakeside.manager.id : users.outsiders.manager.id, filename: `doc-${++counter}.txt`, bytes: new Uint8Array(Buffer.from(text)) });
const chunk = (text: string, ordinal = 0): TIngestedChunk => ({ ordinal, heading: null, page: 1, text, embedding: null, embeddingModel: null });
const scope = (doc: { id: string }) => ({ db: t.db, dealershipId: lakeside(), documentId: doc.id });
const chunkTexts = async (documentId: string) =>
  (await t.db.select({ text: documentChunks.text }).from(documentChunks).where(eq(documentChunks.documentId, documentId)).orderBy(documentChunks.ordinal)).map((r) => r.text);

describe('claimNextQueuedDocument', () => {
  it('hands out each queued document once, oldest first, across dealerships', async () => {
    const a = await upload('alpha');
    const b = await upload('bravo', users.other.dealershipId);
    expect(await hasIngestionWork({ db: t.db })).toBe(true);
    const first = await claimNextQueuedDocument({ db: t.db });
    const second = await claimNextQueuedDocument({ db: t.db });
    expect([first?.id, second?.id]).toEqual([a.id, b.id]);
    expect(second).toMatchObject({ dealershipId: users.other.dealershipId, reindex: false });
    expect(await claimNextQueuedDocument({ db: t.db })).toBeNull();
    expect(await hasIngestionWork({ db: t.db })).toBe(false);
    expect((await getDocument(scope(a))).status).toBe('processing');
  });

  it('claims a document again when its worker stopped touching it (crash mid-ingestion)', async () => {
    const doc = await upload('charlie');
    const claimedAt = new Date();
    expect((await claimNextQueuedDocument({ db: t.db, now: claimedAt }))?.id).toBe(doc.id);
    // Touched a minute later, the claim is alive two minutes after the claim…
    expect(await touchIngestion({ ...scope(doc), now: new Date(claimedAt.getTime() + 60_000) })).toBe(true);
    expect(await claimNextQueuedDocument({ db: t.db, now: new Date(claimedAt.getTime() + INGESTION_STALE_MS + 1000) })).toBeNull();
    // …and taken over once it has been silent for longer than INGESTION_STALE_MS.
    const later = new Date(claimedAt.getTime() + 60_000 + INGESTION_STALE_MS + 1000);
    expect(await hasIngestionWork({ db: t.db, now: later })).toBe(true);
    expect((await claimNextQueuedDocument({ db: t.db, now: later }))?.id).toBe(doc.id);
  });
});

describe('completeIngestion / failIngestion', () => {
  it('replaces a re-indexed document’s passages in one step; the old ones answer until then', async () => {
    const doc = await upload('delta');
    await claimNextQueuedDocument({ db: t.db });
    await completeIngestion({ ...scope(doc), chunks: [chunk('Xylophone warranty covers the old engine.')] });
    await requestReindex({ ...scope(doc), actorId: users.lakeside.manager.id });
    await claimNextQueuedDocument({ db: t.db });
    // Queued, then processing: the previous index is still what the coach finds.
    expect((await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'xylophone' })).map((h) => h.documentId)).toEqual([doc.id]);

    expect(await completeIngestion({ ...scope(doc), chunks: [chunk('Zeppelin coverage, part one.'), chunk('Zeppelin coverage, part two.', 1)] })).toBe(true);
    expect(await chunkTexts(doc.id)).toEqual(['Zeppelin coverage, part one.', 'Zeppelin coverage, part two.']);
    expect(await getDocument(scope(doc))).toMatchObject({ status: 'ready', chunkCount: 2, error: null, indexedAt: expect.any(Date) });
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'xylophone' })).toEqual([]);
    // Another dealership never finds it.
    expect(await searchKnowledge({ db: t.db, dealershipId: users.other.dealershipId, query: 'zeppelin coverage' })).toEqual([]);
  });

  it('writes nothing when the insert fails half-way: the previous passages stay', async () => {
    const doc = await upload('echo');
    await claimNextQueuedDocument({ db: t.db });
    await completeIngestion({ ...scope(doc), chunks: [chunk('Original passage.')] });
    await requestReindex({ ...scope(doc), actorId: users.lakeside.manager.id });
    await claimNextQueuedDocument({ db: t.db });
    const badVector = { ...chunk('Second', 1), embedding: [1, 2, 3], embeddingModel: 'wrong-size' };
    await expect(completeIngestion({ ...scope(doc), chunks: [chunk('First'), badVector] })).rejects.toThrow();
    expect(await chunkTexts(doc.id)).toEqual(['Original passage.']);
    expect((await getDocument(scope(doc))).status).toBe('processing');
  });

  it('a failed document keeps its reason and no passages', async () => {
    const doc = await upload('foxtrot');
    await claimNextQueuedDocument({ db: t.db });
    await completeIngestion({ ...scope(doc), chunks: [chunk('Foxtrot passage.')] });
    await requestReindex({ ...scope(doc), actorId: users.lakeside.manager.id });
    await claimNextQueuedDocument({ db: t.db });
    expect(await failIngestion({ ...scope(doc), reason: 'This PDF is password-protected.' })).toBe(true);
    expect(await getDocument(scope(doc))).toMatchObject({ status: 'failed', error: 'This PDF is password-protected.', chunkCount: 0, indexedAt: null });
    expect(await chunkTexts(doc.id)).toEqual([]);
  });

  it('does nothing for a document deleted, or already finished, while it was being indexed', async () => {
    const doc = await upload('golf');
    await claimNextQueuedDocument({ db: t.db });
    expect(await completeIngestion({ ...scope(doc), chunks: [chunk('Golf.')] })).toBe(true);
    // A second worker finishing the same claim (it had gone stale) must not write a second set.
    expect(await completeIngestion({ ...scope(doc), chunks: [chunk('Golf again.')] })).toBe(false);
    expect(await failIngestion({ ...scope(doc), reason: 'late' })).toBe(false);
    expect(await chunkTexts(doc.id)).toEqual(['Golf.']);

    const gone = await upload('hotel');
    await claimNextQueuedDocument({ db: t.db });
    await deleteDocument({ ...scope(gone), actorId: users.lakeside.manager.id });
    expect(await touchIngestion(scope(gone))).toBe(false);
    expect(await completeIngestion({ ...scope(gone), chunks: [chunk('Hotel.')] })).toBe(false);
  });

  it('is scoped to the dealership: another dealership’s id completes nothing', async () => {
    const doc = await upload('india');
    await claimNextQueuedDocument({ db: t.db });
    const wrong = { db: t.db, dealershipId: users.other.dealershipId, documentId: doc.id };
    expect(await completeIngestion({ ...wrong, chunks: [chunk('Injected.')] })).toBe(false);
    expect(await failIngestion({ ...wrong, reason: 'x' })).toBe(false);
    expect(await chunkTexts(doc.id)).toEqual([]);
  });
});
