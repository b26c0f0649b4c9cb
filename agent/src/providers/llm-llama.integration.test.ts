import { copyFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initializeLogger, llm } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resolveModel } from '../models';
import { LlamaLLM, LlamaModelError, SMOLLM2_MODEL_ID, loadLlamaModel } from './llm-llama';

const SYSTEM =
  'You are Dana, a customer at a car dealership talking to the finance manager. ' +
  'You are cautious about extra products like extended warranties and GAP insurance. Answer in one or two short sentences.';

/** The GGUF: `AVATAR_ADAM_TEST_GGUF`, else the installed model; a missing model fails with the fix. */
async function ggufPath(): Promise<string> {
  const fromEnv = process.env.AVATAR_ADAM_TEST_GGUF?.trim();
  if (fromEnv) return fromEnv;
  const resolved = await resolveModel(SMOLLM2_MODEL_ID);
  const file = resolved.status === 'installed' ? resolved.files['SmolLM2-135M-Instruct.Q4_1.gguf'] : undefined;
  if (!file) throw new Error(`${SMOLLM2_MODEL_ID} is not installed; run: npm run models -- pull ${SMOLLM2_MODEL_ID}`);
  return file;
}

function conversation(...turns: [role: 'user' | 'assistant', text: string][]): llm.ChatContext {
  const ctx = llm.ChatContext.empty();
  ctx.addMessage({ role: 'system', content: SYSTEM });
  for (const [role, content] of turns) ctx.addMessage({ role, content });
  return ctx;
}

async function stream(model: LlamaLLM, chatCtx: llm.ChatContext, toolCtx?: llm.ToolContextLike) {
  const started = performance.now();
  let ttftMs = -1;
  const chunks: string[] = [];
  for await (const chunk of model.chat({ chatCtx, toolCtx })) {
    if (!chunk.delta?.content) continue;
    if (ttftMs < 0) ttftMs = performance.now() - started;
    chunks.push(chunk.delta.content);
  }
  return { text: chunks.join(''), chunks, ttftMs };
}

beforeAll(() => {
  initializeLogger({ pretty: false, level: 'fatal' });
});

describe('LlamaLLM (real SmolLM2 on llama.cpp)', () => {
  let modelPath: string;
  beforeAll(async () => {
    modelPath = await ggufPath();
  });
  const made: LlamaLLM[] = [];
  const create = async (opts: ConstructorParameters<typeof LlamaLLM>[1] = {}) => {
    const m = await LlamaLLM.create({ modelId: SMOLLM2_MODEL_ID, modelPath, temperature: 0, ...opts });
    made.push(m);
    return m;
  };
  afterAll(async () => {
    await Promise.all(made.map((m) => m.aclose()));
  });

  it('streams a reply token by token and stops at the token limit', async () => {
    const model = await create({ maxTokens: 24 });
    const { text, chunks } = await stream(model, conversation(['user', 'Hi, what brings you in today?']));
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).toMatch(/[a-z]{3,}/i);
    expect(chunks.length).toBeGreaterThan(5);
    expect(model.lastTurn?.completionTokens).toBeLessThanOrEqual(24);
  }, 60_000);

  it('keeps answering when a long session outgrows the context window', async () => {
    // A five-minute role-play runs to ~60 turns; here a 512-token window overflows after a few.
    const model = await create({ maxTokens: 16, contextSize: 512 });
    const turns: [role: 'user' | 'assistant', text: string][] = [];
    for (let i = 0; i < 30; i++) {
      turns.push(['user', `Turn ${i}: the base payment is $489 a month at 6.9% for 72 months, does that work for you?`]);
      turns.push(['assistant', 'I need to think about it, the payment matters a lot to me.']);
    }
    turns.push(['user', 'So, shall we sign the contract now?']);
    const { text } = await stream(model, conversation(...turns));
    expect(text.trim().length).toBeGreaterThan(0);
  }, 90_000);

  it('evaluates only the new turn when the conversation grows, and all of it in a fresh room', async () => {
    const warm = await create({ maxTokens: 20 });
    await warm.preload(SYSTEM);
    const first = await stream(warm, conversation(['user', 'Hi, what brings you in today?']));
    const afterFirst = warm.lastTurn!;
    // The system prompt was preloaded: the first turn adds little more than the user's words.
    expect(afterFirst.evaluatedPromptTokens).toBeLessThan(afterFirst.promptTokens / 2);

    const grown = conversation(['user', 'Hi, what brings you in today?'], ['assistant', first.text], [
      'user',
      'Would you like to hear about our extended warranty?',
    ]);
    const second = await stream(warm, grown);
    const reused = warm.lastTurn!;

    const cold = await create({ maxTokens: 20 });
    const rebuilt = await stream(cold, grown);
    const fresh = cold.lastTurn!;

    expect(reused.promptTokens).toBe(fresh.promptTokens);
    expect(fresh.evaluatedPromptTokens).toBe(fresh.promptTokens);
    expect(reused.evaluatedPromptTokens).toBeLessThan(fresh.evaluatedPromptTokens / 3);
    expect(second.text).toBe(rebuilt.text); // same tokens in the cache, same greedy reply
  }, 90_000);

  it('re-evaluates from the first changed token when an interrupted reply was truncated', async () => {
    const model = await create({ maxTokens: 30 });
    const first = await stream(model, conversation(['user', 'Tell me about yourself.']));
    const cut = first.text.split(' ').slice(0, 2).join(' ');
    await stream(model, conversation(['user', 'Tell me about yourself.'], ['assistant', cut], ['user', 'Sorry, go on.']));
    const turn = model.lastTurn!;
    expect(turn.evaluatedPromptTokens).toBeGreaterThan(0);
    expect(turn.evaluatedPromptTokens).toBeLessThan(turn.promptTokens);
  }, 60_000);

  it('stops promptly when the stream is closed (barge-in)', async () => {
    const model = await create({ maxTokens: 400 });
    const firstChunks = async (chatCtx: llm.ChatContext, n: number) => {
      const started = performance.now();
      let ttftMs = -1;
      let seen = 0;
      const s = model.chat({ chatCtx });
      for await (const chunk of s) {
        if (!chunk.delta?.content) continue;
        if (ttftMs < 0) ttftMs = performance.now() - started;
        if (++seen === n) s.close();
      }
      return { seen, ttftMs };
    };
    const story = await firstChunks(conversation(['user', 'Tell me a long story about buying your first car.']), 3);
    expect(story.seen).toBe(3);
    // The next turn waits for the aborted generation to stop: if it ran on to 400 tokens
    // (~8 s here), this first token would come that much later.
    const next = await firstChunks(conversation(['user', 'Okay, and what about the warranty?']), 1);
    expect(next.ttftMs).toBeGreaterThan(0);
    expect(next.ttftMs).toBeLessThan(2_500);
  }, 60_000);

  it.each([false, true])('never fails a turn over tool definitions (toolCalling: %s)', async (toolCalling) => {
    const model = await create({ maxTokens: 24, toolCalling });
    const lookUpRate = llm.tool({
      description: 'Look up the APR for a credit tier',
      parameters: z.object({ tier: z.enum(['A', 'B', 'C']), termMonths: z.number().int().optional() }),
      execute: async () => '6.4%',
    });
    const s = model.chat({ chatCtx: conversation(['user', 'What rate can I get with tier A credit?']), toolCtx: { lookUpRate } });
    const { text, toolCalls } = await s.collect();
    // SmolLM2 answers in prose; a model that calls the tool must name a tool that exists.
    expect(text.length + toolCalls.length).toBeGreaterThan(0);
    for (const call of toolCalls) expect(call.name).toBe('lookUpRate');
  }, 60_000);
});

describe('loadLlamaModel errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llama-bad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the install command when the file is missing', async () => {
    const error = await loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath: path.join(dir, 'absent.gguf') }).catch((e) => e);
    expect(error).toBeInstanceOf(LlamaModelError);
    expect(error.code).toBe('missing');
    expect(error.message).toContain(`npm run models -- pull ${SMOLLM2_MODEL_ID}`);
  });

  it('reports a truncated GGUF as corrupt instead of crashing the process', async () => {
    const truncated = path.join(dir, 'truncated.gguf');
    await copyFile(await ggufPath(), truncated);
    const handle = await open(truncated, 'r+');
    await handle.truncate(Math.floor((await stat(truncated)).size / 2));
    await handle.close();
    const error = await loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath: truncated }).catch((e) => e);
    expect(error).toBeInstanceOf(LlamaModelError);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(`npm run models -- pull ${SMOLLM2_MODEL_ID}`);
  }, 30_000);

  it('takes weights that are still loading: the first turn waits for them, a failed load fails the turn', async () => {
    // Weights already loading when the model is created (the greeting started them): the turn waits.
    const loading = loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath: await ggufPath() });
    const model = new LlamaLLM({ modelId: SMOLLM2_MODEL_ID, load: () => loading }, { maxTokens: 8, temperature: 0 });
    expect(model.model).toBe(SMOLLM2_MODEL_ID);
    const { text } = await stream(model, conversation(['user', 'Hello there.']));
    expect(text.trim().length).toBeGreaterThan(0);
    expect((await model.info()).modelId).toBe(SMOLLM2_MODEL_ID);
    await model.aclose();

    const failing = loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath: path.join(dir, 'gone.gguf') });
    const broken = new LlamaLLM({ modelId: SMOLLM2_MODEL_ID, load: () => failing }, { maxTokens: 8 });
    const errors: string[] = [];
    broken.on('error', (e) => errors.push(String(e.error?.message ?? e.error)));
    // Nothing is unhandled while no turn asks; the turn that does reports the load's error, as
    // agents-js reports a failed LLM (an `error` event, no text), so a fallback engine can answer.
    await new Promise((r) => setTimeout(r, 50));
    expect((await stream(broken, conversation(['user', 'Hello?']))).text).toBe('');
    expect(errors.join('\n')).toMatch(/npm run models -- pull/);
    await expect(broken.preload(SYSTEM)).rejects.toThrow(/npm run models -- pull/);
  }, 60_000);

  it('takes a loader: nothing loads until startLoading() or the first turn, and it loads once', async () => {
    const modelPath = await ggufPath();
    const load = vi.fn(() => loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath }));
    const model = new LlamaLLM({ modelId: SMOLLM2_MODEL_ID, load }, { maxTokens: 8, temperature: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(load).not.toHaveBeenCalled();
    model.startLoading();
    model.startLoading();
    expect(load).toHaveBeenCalledTimes(1);
    const { text } = await stream(model, conversation(['user', 'Hello there.']));
    expect(text.trim().length).toBeGreaterThan(0);
    expect(load).toHaveBeenCalledTimes(1);
    await model.aclose();

    // The first turn starts a load nobody started, and reports its failure like any failed load.
    const failing = vi.fn(() => loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath: path.join(dir, 'gone-too.gguf') }));
    const broken = new LlamaLLM({ modelId: SMOLLM2_MODEL_ID, load: failing }, { maxTokens: 8 });
    const errors: string[] = [];
    broken.on('error', (e) => errors.push(String(e.error?.message ?? e.error)));
    expect((await stream(broken, conversation(['user', 'Hello?']))).text).toBe('');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(errors.join('\n')).toMatch(/npm run models -- pull/);
  }, 60_000);
});
