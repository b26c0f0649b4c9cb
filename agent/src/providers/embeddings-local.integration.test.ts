import { describe, expect, it, beforeAll } from 'vitest';
import { resolveModel } from '../models';
import { LocalMiniLmEmbeddings, MINILM_MODEL_ID, createLocalEmbeddings } from './embeddings-local';

/** The model folder: `AVATAR_ADAM_TEST_MINILM_DIR`, else the installed model; missing fails with the fix. */
async function minilmDir(): Promise<string> {
  const fromEnv = process.env.AVATAR_ADAM_TEST_MINILM_DIR?.trim();
  if (fromEnv) return fromEnv;
  const resolved = await resolveModel(MINILM_MODEL_ID);
  if (resolved.status !== 'installed') {
    throw new Error(`${MINILM_MODEL_ID} is ${resolved.status} (${resolved.reason}); run: ${resolved.fix}`);
  }
  return resolved.dir;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

let embeddings: LocalMiniLmEmbeddings;
beforeAll(async () => {
  embeddings = await LocalMiniLmEmbeddings.load({ modelDir: await minilmDir(), batchSize: 4 });
}, 60_000);

describe('LocalMiniLmEmbeddings (real all-MiniLM-L6-v2 on onnxruntime)', () => {
  it('returns one 384-dimensional unit vector per text, in order, across batches', async () => {
    const texts = ['GAP insurance', 'extended warranty', 'service contract', 'tire and wheel', 'key replacement', 'paint protection'];
    const vectors = await embeddings.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(384);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 4);
    }
    // Batching must not reorder or mix rows: a text embedded alone matches its batched vector.
    const [alone] = await embeddings.embed([texts[5]!]);
    expect(dot(alone!, vectors[5]!)).toBeGreaterThan(0.999);
  });

  it('puts related F&I sentences closer together than unrelated ones', async () => {
    const [warranty, serviceContract, gap, tacos] = await embeddings.embed([
      'I need to think about the extended warranty before I sign anything.',
      "I'm not ready to commit to the vehicle service contract yet.",
      'Does GAP insurance cover the difference if the car is totaled?',
      'The restaurant downtown has great tacos.',
    ]);
    expect(dot(warranty!, serviceContract!)).toBeGreaterThan(dot(warranty!, tacos!) + 0.2);
    expect(dot(gap!, serviceContract!)).toBeGreaterThan(dot(gap!, tacos!));
  });

  it('handles empty input: no texts gives no vectors, an empty text still gives a unit vector', async () => {
    expect(await embeddings.embed([])).toEqual([]);
    const [blank] = await embeddings.embed(['']);
    expect(blank!.length).toBe(384);
    expect(Math.sqrt(dot(blank!, blank!))).toBeCloseTo(1, 4);
  });
});

describe('createLocalEmbeddings', () => {
  it('returns null with the reason and the fix when no model is installed', async () => {
    const choice = await createLocalEmbeddings({ modelsDir: '/nonexistent/models' });
    expect(choice.provider).toBeNull();
    expect(choice.reason).toContain('missing');
    expect(choice.fix).toBe(`npm run models -- pull ${MINILM_MODEL_ID}`);
  });
});
