import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextQueuedDocument, completeIngestion } from './document-ingestion';
import { createDocument, deleteDocument, getDocument, listDocuments, requestReindex } from './documents';
import { auditLog, documentChunks, documentFiles, documents } from './schema';
import { createTenantUsers, createTestDb } from './testing';

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
const lakeside = () => t.seeded.dealershipId;
const manager = () => users.lakeside.manager;
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
});
afterAll(() => t.close());

const upload = (filename: string, content: string, dealershipId = lakeside(), uploadedById = manager().id) =>
  createDocument({ db: t.db, dealershipId, uploadedById, filename, bytes: bytes(content) });

async function countRows(documentId: string) {
  const [files, chunks] = await Promise.all([
    t.db.select().from(documentFiles).where(eq(documentFiles.documentId, documentId)),
    t.db.select().from(documentChunks).where(eq(documentChunks.documentId, documentId)),
  ]);
  return { files: files.length, chunks: chunks.length };
}

describe('createDocument', () => {
  it('stores the row, the bytes and an audit entry, queued for indexing', async () => {
    const doc = await upload('menu_presentation-tips.md', '# Menu\n\nPresent every product on the menu.');
    expect(doc).toMatchObject({ title: 'menu presentation tips', filename: 'menu_presentation-tips.md', mime: 'text/markdown', status: 'queued', chunkCount: 0, hasFile: true, uploadedByName: manager().name });
    const [file] = await t.db.select().from(documentFiles).where(eq(documentFiles.documentId, doc.id));
    expect(file!.content.toString('utf8')).toBe('# Menu\n\nPresent every product on the menu.');
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.targetId, doc.id));
    expect(audit).toMatchObject([{ action: 'document.uploaded', actorId: manager().id, dealershipId: lakeside() }]);
  });

  it('refuses the same file twice in one dealership, naming the existing document; another dealership may have it', async () => {
    await upload('first.txt', 'Always quote APR and term with a payment.');
    await expect(upload('again.txt', 'Always quote APR and term with a payment.')).rejects.toMatchObject({
      code: 'CONFLICT',
      userMessage: 'This file is already in your knowledge base as “first”.',
    });
    expect((await listDocuments({ db: t.db, dealershipId: lakeside() })).filter((d) => d.filename === 'again.txt')).toEqual([]);
    await expect(upload('theirs.txt', 'Always quote APR and term with a payment.', users.other.dealershipId, users.outsiders.manager.id)).resolves.toMatchObject({ status: 'queued' });
  });

  it('stores nothing for a refused file', async () => {
    const before = await t.db.select().from(documents);
    await expect(upload('empty.txt', '')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(upload('renamed.pdf', 'just text')).rejects.toMatchObject({ code: 'BAD_REQUEST', userMessage: expect.stringMatching(/not a valid PDF/) });
    expect(await t.db.select().from(documents)).toHaveLength(before.length);
  });
});

describe('tenant isolation', () => {
  it('another dealership can neither list, read, re-index nor delete a document', async () => {
    const doc = await upload('isolation.md', '# Isolation\n\nOnly Lakeside sees this.');
    const outsider = { db: t.db, dealershipId: users.other.dealershipId, documentId: doc.id, actorId: users.outsiders.manager.id };
    expect((await listDocuments(outsider)).map((d) => d.id)).not.toContain(doc.id);
    await expect(getDocument(outsider)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(deleteDocument(outsider)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(requestReindex(outsider)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await getDocument({ db: t.db, dealershipId: lakeside(), documentId: doc.id })).toMatchObject({ status: 'queued' });
    expect(await countRows(doc.id)).toEqual({ files: 1, chunks: 0 });
  });
});

describe('deleteDocument', () => {
  it('removes the document, its file and its passages, audited', async () => {
    const doc = await upload('to-delete.txt', 'A passage about credit life insurance.');
    await drainQueueInto(doc.id);
    expect(await countRows(doc.id)).toEqual({ files: 1, chunks: 1 });
    await deleteDocument({ db: t.db, dealershipId: lakeside(), documentId: doc.id, actorId: manager().id });
    expect(await countRows(doc.id)).toEqual({ files: 0, chunks: 0 });
    await expect(getDocument({ db: t.db, dealershipId: lakeside(), documentId: doc.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.targetId, doc.id), eq(auditLog.action, 'document.deleted')));
    expect(audit).toHaveLength(1);
  });
});

describe('requestReindex', () => {
  it('queues a ready document again and refuses one already waiting', async () => {
    const doc = await upload('reindex.txt', 'Tire and wheel protection covers road hazards.');
    await expect(requestReindex({ db: t.db, dealershipId: lakeside(), documentId: doc.id, actorId: manager().id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await drainQueueInto(doc.id);
    const queued = await requestReindex({ db: t.db, dealershipId: lakeside(), documentId: doc.id, actorId: manager().id });
    expect(queued).toMatchObject({ status: 'queued', chunkCount: 1, error: null });
    expect(await countRows(doc.id)).toEqual({ files: 1, chunks: 1 });
  });

  it('explains that a starter-kit document (no stored file) cannot be re-indexed', async () => {
    const [seeded] = (await listDocuments({ db: t.db, dealershipId: lakeside() })).filter((d) => !d.hasFile);
    await expect(requestReindex({ db: t.db, dealershipId: lakeside(), documentId: seeded!.id, actorId: manager().id })).rejects.toMatchObject({
      code: 'CONFLICT',
      userMessage: expect.stringMatching(/without its original file/),
    });
  });
});

/** Indexes queued documents the simplest way (one passage each) until `documentId` is done. */
async function drainQueueInto(documentId: string) {
  for (let claimed = await claimNextQueuedDocument({ db: t.db }); claimed; claimed = await claimNextQueuedDocument({ db: t.db })) {
    await completeIngestion({
      db: t.db,
      dealershipId: claimed.dealershipId,
      documentId: claimed.id,
      chunks: [{ ordinal: 0, heading: null, page: null, text: `Passage of ${claimed.title}`, embedding: null, embeddingModel: null }],
    });
    if (claimed.id === documentId) return;
  }
  throw new Error(`document ${documentId} was never claimed`);
}
