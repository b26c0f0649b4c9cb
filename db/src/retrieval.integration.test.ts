import { createHash } from 'node:crypto';
import { eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillChunkEmbeddings, searchKnowledge } from './retrieval';
import { documentChunks, documents, EMBEDDING_DIMENSIONS } from './schema';
import { createOtherDealership, createTestDb } from './testing';

/*
 * Test-only deterministic "embedding": a bag of words hashed into 384 dimensions and normalised,
 * after mapping a handful of synonyms to one word. It stands in for a semantic model: the synonym
 * table is what lets a paraphrase sharing no word with a passage land near it, as a real model
 * would. Never use this in product code.
 */
const SYNONYMS: Record<string, string> = {
  compulsory: 'required',
  mandatory: 'required',
  obligatory: 'required',
  acquire: 'buy',
  extras: 'product',
  bank: 'lender',
  okays: 'approval',
};
const STOP_WORDS = new Set(
  'a an and are as at be by can do for i if in is it me my of on or so that the their they this to we with you your'.split(' '),
);
function fakeEmbed(text: string): number[] {
  const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOP_WORDS.has(raw)) continue;
    const word = (SYNONYMS[raw] ?? raw).replace(/(ing|ed|al|s)$/, '');
    const hash = createHash('sha256').update(word).digest();
    v[hash.readUInt32BE(0) % EMBEDDING_DIMENSIONS]! += hash[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v);
  if (norm === 0) v[0] = 1;
  return norm === 0 ? v : v.map((x) => x / norm);
}
const MODEL = 'test-bag-of-words';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let otherChunkIds: string[];
let lakesideReadyDocIds: string[];
let notReadyChunkIds: string[];

const lakeside = () => t.seeded.dealershipId;

async function addDocument(opts: {
  dealershipId: string;
  title: string;
  status: 'queued' | 'processing' | 'ready' | 'failed';
  chunks: Array<{ heading: string; text: string }>;
}) {
  const [doc] = await t.db
    .insert(documents)
    .values({
      dealershipId: opts.dealershipId,
      title: opts.title,
      filename: `${opts.title}.md`,
      mime: 'text/markdown',
      sizeBytes: 100,
      sha256: createHash('sha256').update(opts.title).digest('hex'),
      status: opts.status,
    })
    .returning({ id: documents.id });
  const chunks = await t.db
    .insert(documentChunks)
    .values(opts.chunks.map((c, ordinal) => ({ ...c, ordinal, documentId: doc!.id, dealershipId: opts.dealershipId })))
    .returning({ id: documentChunks.id });
  return { documentId: doc!.id, chunkIds: chunks.map((c) => c.id) };
}

const embedAll = async (texts: string[]) => texts.map(fakeEmbed);

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
  lakesideReadyDocIds = (
    await t.db.select({ id: documents.id }).from(documents).where(eq(documents.dealershipId, lakeside()))
  ).map((d) => d.id);

  // Another dealership's knowledge: a distinctive word, and the same F&I terms as Lakeside's.
  otherChunkIds = (
    await addDocument({
      dealershipId: other.dealershipId,
      title: 'Zanzibar Autos house rules',
      status: 'ready',
      chunks: [
        {
          heading: 'Zanzibar wheel locks',
          text: 'At Zanzibar Autos every GAP contract is sold with wheel locks. GAP insurance is never required to get approved.',
        },
      ],
    })
  ).chunkIds;

  // Lakeside documents that are not (or no longer) ready: never searchable.
  notReadyChunkIds = [];
  for (const status of ['queued', 'processing', 'failed'] as const) {
    const added = await addDocument({
      dealershipId: lakeside(),
      title: `Quokka draft (${status})`,
      status,
      chunks: [{ heading: 'Quokka policy', text: `Quokka: GAP insurance is required to get approved (${status} draft).` }],
    });
    notReadyChunkIds.push(...added.chunkIds);
  }
});
afterAll(() => t.close());

const GAP_QUESTION = 'is GAP insurance required to get approved?';
/** The same question in other words: no word of it (after stemming) appears in the knowledge base. */
const PARAPHRASE = 'Is it compulsory to acquire extras so the bank okays me?';

describe('full-text leg', () => {
  it('answers a wordy spoken question from the right passage, without needing every word', async () => {
    const hits = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: GAP_QUESTION });
    // Passages sharing only one of its words (there are many) do not count as matches.
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits[0]).toMatchObject({
      title: 'Compliance essentials',
      heading: 'Products are optional: no tying',
      matchedBy: ['text'],
      page: null,
    });
    expect(hits[0]!.text).toContain('Never say that a product is required');
    expect(lakesideReadyDocIds).toContain(hits[0]!.documentId);
    // Scores are RRF scores, best first.
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('finds exact policy terms and acronyms', async () => {
    const [ofac] = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'when do we run OFAC?' });
    expect(ofac).toMatchObject({ heading: 'Identity checks' });
    const [markup] = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: "what's our markup policy?", limit: 1 });
    expect(markup).toMatchObject({ title: 'Lakeside Motors F&I policies and menu', heading: 'Rate markup policy' });
  });

  it('never throws on punctuation, quotes, tsquery operators or stop words', async () => {
    const nasty = [
      `"do I have to buy GAP?" he said — it's 'optional', isn't it?!`,
      `GAP & VSC | (tire) !wheel <-> 'key':* \\ ; drop table documents; --`,
      `'''"""`,
      '!!! ??? ... ,,, :: &&& ||| <-> ()',
      'the is a of and to it was',
      'x'.repeat(5000),
      '   ',
      '',
    ];
    for (const query of nasty) {
      await expect(searchKnowledge({ db: t.db, dealershipId: lakeside(), query })).resolves.toBeInstanceOf(Array);
    }
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: '' })).toEqual([]);
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: '  ?! ' })).toEqual([]);
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'the is a of and to it was' })).toEqual([]);
    const quoted = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: nasty[0]! });
    expect(quoted.length).toBeGreaterThan(0);
    expect(await t.db.$count(documents)).toBeGreaterThan(0);
  });

  it('refuses a query embedding of the wrong length or with non-finite values', async () => {
    for (const queryEmbedding of [[0.1, 0.2, 0.3], new Array(385).fill(0.1), [...new Array(383).fill(0.1), Number.NaN]]) {
      await expect(
        searchKnowledge({ db: t.db, dealershipId: lakeside(), query: GAP_QUESTION, queryEmbedding }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    // No embedding at all (or an empty one) simply means full-text only.
    const hits = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: GAP_QUESTION, queryEmbedding: [] });
    expect(hits[0]!.heading).toBe('Products are optional: no tying');
  });
});

describe('backfillChunkEmbeddings', () => {
  it('embeds every chunk in batches, then nothing on a second run', async () => {
    const total = await t.db.$count(documentChunks);
    const batches: number[] = [];
    const first = await backfillChunkEmbeddings({
      db: t.db,
      model: MODEL,
      batchSize: 7,
      embed: async (texts) => {
        batches.push(texts.length);
        return texts.map(fakeEmbed);
      },
    });
    expect(first).toEqual({ embedded: total });
    expect(batches.every((n) => n <= 7)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(total);
    expect(await t.db.$count(documentChunks, isNull(documentChunks.embedding))).toBe(0);
    // Documents that are not ready are embedded too (ingestion embeds before marking ready).
    const notReady = await t.db.select().from(documentChunks).where(inArray(documentChunks.id, notReadyChunkIds));
    expect(notReady.every((c) => c.embedding?.length === EMBEDDING_DIMENSIONS && c.embeddingModel === MODEL)).toBe(true);

    let calls = 0;
    const second = await backfillChunkEmbeddings({
      db: t.db,
      model: MODEL,
      embed: async (texts) => {
        calls++;
        return texts.map(fakeEmbed);
      },
    });
    expect(second).toEqual({ embedded: 0 });
    expect(calls).toBe(0);
  });

  it('re-embeds chunks made by a different model, and only those', async () => {
    const [chunk] = await t.db.select({ id: documentChunks.id }).from(documentChunks).limit(1);
    await t.db.update(documentChunks).set({ embeddingModel: 'some-older-model' }).where(eq(documentChunks.id, chunk!.id));
    const embeddedTexts: string[][] = [];
    const result = await backfillChunkEmbeddings({
      db: t.db,
      model: MODEL,
      embed: async (texts) => {
        embeddedTexts.push(texts);
        return texts.map(fakeEmbed);
      },
    });
    expect(result).toEqual({ embedded: 1 });
    expect(embeddedTexts.flat()).toHaveLength(1);
    const [after] = await t.db.select().from(documentChunks).where(eq(documentChunks.id, chunk!.id));
    expect(after!.embeddingModel).toBe(MODEL);
    expect(await backfillChunkEmbeddings({ db: t.db, model: MODEL, embed: embedAll })).toEqual({ embedded: 0 });
  });

  it('limits itself to one dealership when asked', async () => {
    const [lakesideChunk] = await t.db.select({ id: documentChunks.id }).from(documentChunks).where(eq(documentChunks.dealershipId, lakeside())).limit(1);
    await t.db
      .update(documentChunks)
      .set({ embedding: null, embeddingModel: null })
      .where(inArray(documentChunks.id, [lakesideChunk!.id, otherChunkIds[0]!]));
    expect(await backfillChunkEmbeddings({ db: t.db, model: MODEL, embed: embedAll, dealershipId: other.dealershipId })).toEqual({ embedded: 1 });
    expect(await t.db.$count(documentChunks, isNull(documentChunks.embedding))).toBe(1);
    expect(await backfillChunkEmbeddings({ db: t.db, model: MODEL, embed: embedAll })).toEqual({ embedded: 1 });
  });

  it('refuses invalid vectors with a clear error and writes nothing of that batch', async () => {
    const ids = (await t.db.select({ id: documentChunks.id }).from(documentChunks).limit(3)).map((c) => c.id);
    await t.db.update(documentChunks).set({ embedding: null, embeddingModel: null }).where(inArray(documentChunks.id, ids));
    const broken: Array<[string, (texts: string[]) => Promise<number[][]>, RegExp]> = [
      ['wrong length', async (texts) => texts.map((x, i) => (i === 1 ? fakeEmbed(x).slice(0, 383) : fakeEmbed(x))), /383 dimensions; expected 384/],
      ['NaN', async (texts) => texts.map((x, i) => (i === 2 ? fakeEmbed(x).map((v, j) => (j === 5 ? Number.NaN : v)) : fakeEmbed(x))), /not a finite number/],
      ['Infinity', async (texts) => texts.map((x) => fakeEmbed(x).map((v, j) => (j === 0 ? Infinity : v))), /not a finite number/],
      ['all zeros', async (texts) => texts.map(() => new Array<number>(EMBEDDING_DIMENSIONS).fill(0)), /all zeros/],
      ['too few vectors', async (texts) => texts.slice(1).map(fakeEmbed), /returned 2 vectors for 3 texts/],
    ];
    for (const [, embed, message] of broken) {
      const attempt = backfillChunkEmbeddings({ db: t.db, model: MODEL, embed, batchSize: 3 });
      await expect(attempt).rejects.toMatchObject({ name: 'AppError', code: 'INTERNAL' });
      await expect(attempt).rejects.toThrow(message);
      expect(await t.db.$count(documentChunks, isNull(documentChunks.embedding))).toBe(3);
    }
    expect(await backfillChunkEmbeddings({ db: t.db, model: MODEL, embed: embedAll })).toEqual({ embedded: 3 });
  });
});

describe('vector leg and fusion (after the backfill)', () => {
  it('finds a paraphrase that shares no word with the passage through the vector leg', async () => {
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: PARAPHRASE })).toEqual([]);
    const hits = await searchKnowledge({
      db: t.db,
      dealershipId: lakeside(),
      query: PARAPHRASE,
      queryEmbedding: fakeEmbed(PARAPHRASE),
    });
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits[0]).toMatchObject({ heading: 'Products are optional: no tying', matchedBy: ['vector'] });
    // Without the distance cut-off the leg would also return the nearest unrelated passages.
    const uncut = await searchKnowledge({
      db: t.db,
      dealershipId: lakeside(),
      query: PARAPHRASE,
      queryEmbedding: fakeEmbed(PARAPHRASE),
      maxVectorDistance: 2,
    });
    expect(uncut).toHaveLength(4);
    expect(uncut[0]!.chunkId).toBe(hits[0]!.chunkId);
  });

  it('returns nothing for a question unrelated to every passage, so the coach can say so', async () => {
    const query = 'zanzibar quokka marmalade';
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query, queryEmbedding: fakeEmbed(query) })).toEqual([]);
  });

  it('ranks the passage both legs agree on first, and says so', async () => {
    const hits = await searchKnowledge({
      db: t.db,
      dealershipId: lakeside(),
      query: GAP_QUESTION,
      queryEmbedding: fakeEmbed(GAP_QUESTION),
      // The test's bag-of-words vectors are cruder than a sentence model: widen the cut-off.
      maxVectorDistance: 2,
      limit: 2,
    });
    expect(hits).toHaveLength(2);
    // HNSW is approximate (its graph differs per build), so the exact vector order of near-equal
    // passages may vary; what must hold is that both GAP passages lead and the first is agreed on.
    expect(hits.map((h) => h.heading).sort()).toEqual(['GAP (guaranteed asset protection)', 'Products are optional: no tying']);
    expect(hits[0]!.matchedBy.sort()).toEqual(['text', 'vector']);
  });
});

describe('tenant isolation and document status', () => {
  const allHits = (dealershipId: string, query: string) =>
    Promise.all([
      searchKnowledge({ db: t.db, dealershipId, query, limit: 50 }),
      searchKnowledge({ db: t.db, dealershipId, query, queryEmbedding: fakeEmbed(query), maxVectorDistance: 2, limit: 50 }),
    ]).then(([text, hybrid]) => [...text, ...hybrid]);

  it("never returns another dealership's chunks to Lakeside, through either leg", async () => {
    for (const query of ['Zanzibar wheel locks', GAP_QUESTION, 'wheel']) {
      const hits = await allHits(lakeside(), query);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.filter((h) => otherChunkIds.includes(h.chunkId))).toEqual([]);
      expect(hits.every((h) => lakesideReadyDocIds.includes(h.documentId))).toBe(true);
    }
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'Zanzibar' })).toEqual([]);
  });

  it("never returns Lakeside's chunks to the other dealership, through either leg", async () => {
    for (const query of [GAP_QUESTION, 'when do we run OFAC?', PARAPHRASE]) {
      const hits = await allHits(other.dealershipId, query);
      expect(hits.length).toBeGreaterThan(0); // its own chunk, at least through the vector leg
      expect(hits.every((h) => otherChunkIds.includes(h.chunkId))).toBe(true);
      expect(hits.every((h) => h.title === 'Zanzibar Autos house rules')).toBe(true);
    }
    const [own] = await searchKnowledge({ db: t.db, dealershipId: other.dealershipId, query: GAP_QUESTION });
    expect(own).toMatchObject({ heading: 'Zanzibar wheel locks', matchedBy: ['text'] });
  });

  it('excludes documents that are queued, processing or failed, through either leg', async () => {
    for (const query of ['Quokka policy', 'quokka draft GAP insurance required approved']) {
      const hits = await allHits(lakeside(), query);
      expect(hits.filter((h) => notReadyChunkIds.includes(h.chunkId))).toEqual([]);
    }
    expect(await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'quokka' })).toEqual([]);

    // Once ready, the same chunk is found: the exclusion is the status, nothing else.
    const [draft] = await t.db.select({ documentId: documentChunks.documentId }).from(documentChunks).where(eq(documentChunks.id, notReadyChunkIds[1]!));
    await t.db.update(documents).set({ status: 'ready' }).where(eq(documents.id, draft!.documentId));
    const [found] = await searchKnowledge({ db: t.db, dealershipId: lakeside(), query: 'quokka' });
    expect(found).toMatchObject({ chunkId: notReadyChunkIds[1], matchedBy: ['text'] });
    await t.db.update(documents).set({ status: 'processing' }).where(eq(documents.id, draft!.documentId));
  });
});
