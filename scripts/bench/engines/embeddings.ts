import { createLocalEmbeddings } from '../../../agent/src/providers/embeddings-local';
import { fmt, ratio, summarize } from './stats';
import { type TRow, type TSection, figure, section } from './table';

export const EMBEDDING_TARGET = { max: 20, text: '≤ 20 ms' };
export const EMBEDDING_BATCH = 16;
const BATCH_PASSES = 3;

/** `count` batches of `size` consecutive texts, wrapping round the set so every batch is full. */
export function fullBatches<T>(items: readonly T[], size: number, count: number): T[][] {
  if (items.length === 0 || size <= 0) return [];
  return Array.from({ length: count }, (_, b) => Array.from({ length: size }, (_, i) => items[(b * size + i) % items.length]!));
}

export type TEmbeddingsRun =
  | { ok: true; loadMs: number; coldMs: number; singleMs: number[]; batchMsPerSentence: number[] }
  | { ok: false; reason: string };

/** MiniLM load, the first call (cold), one call per sentence, then full batches of 16. */
export async function runEmbeddings(sentences: readonly string[]): Promise<TEmbeddingsRun> {
  const loadStarted = performance.now();
  const choice = await createLocalEmbeddings();
  const loadMs = performance.now() - loadStarted;
  if (!choice.provider) return { ok: false, reason: `${choice.reason}${choice.fix ? `; fix: ${choice.fix}` : ''}` };
  const provider = choice.provider;
  const timed = async (texts: string[]) => {
    const started = performance.now();
    await provider.embed(texts);
    return performance.now() - started;
  };
  const coldMs = await timed([sentences[0] ?? 'Hello.']);
  const singleMs: number[] = [];
  for (const s of sentences) singleMs.push(await timed([s]));
  const batches = fullBatches(sentences, EMBEDDING_BATCH, Math.max(1, Math.ceil(sentences.length / EMBEDDING_BATCH)) * BATCH_PASSES);
  const batchMsPerSentence: number[] = [];
  for (const batch of batches) batchMsPerSentence.push((await timed(batch)) / batch.length);
  return { ok: true, loadMs, coldMs, singleMs, batchMsPerSentence };
}

export function embeddingsSection(run: Extract<TEmbeddingsRun, { ok: true }>): TSection {
  const single = summarize(run.singleMs);
  const batched = summarize(run.batchMsPerSentence);
  const rows: TRow[] = [
    section(`Embeddings all-MiniLM-L6-v2 (transformers.js, onnxruntime-node) — ${run.singleMs.length} sentences`),
    figure('model load', run.loadMs, fmt.ms),
    figure('first call, cold (1 sentence)', run.coldMs, fmt.ms),
    figure('ms per sentence, one call each', single, fmt.ms, EMBEDDING_TARGET),
    figure(`ms per sentence, batches of ${EMBEDDING_BATCH} (${run.batchMsPerSentence.length} batches)`, batched, fmt.ms, EMBEDDING_TARGET),
    figure('batched ÷ single ms per sentence (p50)', ratio(batched.p50, single.p50), fmt.ratio),
    figure('cold first call ÷ warm single (p50)', ratio(run.coldMs, single.p50), fmt.ratio),
  ];
  const details = [
    `Embeddings: one-call times in order after the cold call (new input lengths still allocate): ${run.singleMs
      .slice(0, 6)
      .map((v) => fmt.ms(v))
      .join(', ')}, …`,
  ];
  return { rows, details, data: { ...run, single, batched }, ran: true };
}
