import type { TCitation } from '@avatar-adam/db';
import { documentChunks, documents } from '@avatar-adam/db/schema';
import { createOtherDealership, createTestDb } from '@avatar-adam/db/testing';
import { initializeLogger, log, voice } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SCENARIOS } from '../../../db/src/seed/scenarios';
import { RecordingLLM, systemTexts } from '../testing/recording-llm';
import { CoachAgent, NOTHING_FOUND_NOTE } from './coach';

/**
 * Adam's grounding, on the text-only AgentSession with a recording LLM (no audio) and the real
 * embedded database with the seeded knowledge base: what reaches the model, and what is cited.
 */
let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let session: voice.AgentSession | undefined;

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'silent' });
  t = await createTestDb();
  other = await createOtherDealership(t.db, 'harbor-cars');
  // The other dealership's own material, with a word Lakeside's documents never use.
  const [doc] = await t.db
    .insert(documents)
    .values({ dealershipId: other.dealershipId, title: 'Harbor secret playbook', filename: 'p.md', mime: 'text/markdown', sizeBytes: 10, sha256: 'x', status: 'ready' })
    .returning();
  await t.db.insert(documentChunks).values({
    documentId: doc!.id,
    dealershipId: other.dealershipId,
    ordinal: 0,
    text: 'Harbor pays a zeppelin bonus for every service contract sold.',
  });
});
afterAll(() => t.close());
afterEach(async () => {
  await session?.close().catch(() => {});
  session = undefined;
});

const adam = SEED_SCENARIOS.find((s) => s.mode === 'coach')!;

async function ask(question: string, dealershipId: string) {
  const recording = new RecordingLLM('Here is what your materials say.');
  const cited: TCitation[][] = [];
  session = new voice.AgentSession({ llm: recording });
  const agent = new CoachAgent({
    persona: adam.persona,
    traineeName: 'Sam Trainee',
    knowledge: { db: t.db, dealershipId, embeddings: null, logger: log(), onCitations: (c) => cited.push(c) },
  });
  await session.start({ agent });
  await session.run({ userInput: question }).wait();
  return { seen: recording.received.at(-1)!, cited, agent };
}

describe('Adam answers from the dealership materials', () => {
  it('gives the model the right passage for a knowledge-base question and cites it', async () => {
    const { seen, cited, agent } = await ask('Is GAP required for the bank to approve the loan?', t.seeded.dealershipId);
    const context = systemTexts(seen).join('\n');
    expect(context).toContain('Compliance essentials › Products are optional: no tying');
    expect(context).toContain("I don't have that in your materials");
    expect(cited.at(-1)!.map((c) => c.title)).toContain('Compliance essentials');
    // The passages inform this reply only; the stored conversation does not grow with them.
    expect(systemTexts(agent.chatCtx).join('\n')).not.toContain('Passages from');
  });

  it('says the materials do not cover a question nothing matches, and cites nothing', async () => {
    const { seen, cited } = await ask('What is the zeppelin bonus for contracts?', t.seeded.dealershipId);
    expect(systemTexts(seen)).toContain(NOTHING_FOUND_NOTE);
    expect(cited.at(-1)).toEqual([]);
  });

  it("never gives one dealership's coach another dealership's passages", async () => {
    const own = await ask('What is the zeppelin bonus for contracts?', other.dealershipId);
    expect(own.cited.at(-1)!.map((c) => c.title)).toEqual(['Harbor secret playbook']);
    const { seen, cited } = await ask('Is GAP required for the bank to approve the loan?', other.dealershipId);
    expect(systemTexts(seen).join('\n')).not.toContain('Compliance essentials');
    expect(cited.at(-1)!.every((c) => c.title === 'Harbor secret playbook')).toBe(true);
  });

  it('does not look up small talk', async () => {
    const { seen, cited } = await ask('Thanks Adam', t.seeded.dealershipId);
    expect(systemTexts(seen).join('\n')).not.toContain('Passages from');
    expect(cited).toEqual([]);
  });
});
