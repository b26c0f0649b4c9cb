import { llm } from '@livekit/agents';
import { LlamaLLM, loadLocalLlmWeights } from '../../../agent/src/providers/llm-llama';
import { benchRolePlay } from './role-play';
import { decodeTokensPerSecond, fmt, ratio, summarize } from './stats';
import { type TRow, type TSection, figure, section } from './table';

export const LLM_WARM_TTFT_TARGET = { max: 300, text: '≤ 300 ms' };

export type TLlmTurn = {
  kind: 'cold' | 'preloaded' | 'warm';
  trainee: string;
  reply: string;
  ttftMs: number;
  totalMs: number;
  tokensPerSec: number;
  promptTokens: number;
  evaluatedPromptTokens: number;
  completionTokens: number;
};

async function turn(model: LlamaLLM, chatCtx: llm.ChatContext, kind: TLlmTurn['kind'], trainee: string): Promise<TLlmTurn> {
  const started = performance.now();
  let firstMs = Number.NaN;
  const parts: string[] = [];
  for await (const chunk of model.chat({ chatCtx })) {
    const content = chunk.delta?.content;
    if (!content) continue;
    if (parts.length === 0) firstMs = performance.now() - started;
    parts.push(content);
  }
  const totalMs = performance.now() - started;
  const stats = model.lastTurn ?? { promptTokens: Number.NaN, evaluatedPromptTokens: Number.NaN, completionTokens: Number.NaN };
  return {
    kind,
    trainee,
    reply: parts.join('').trim(),
    ttftMs: firstMs,
    totalMs,
    tokensPerSec: decodeTokensPerSecond(stats.completionTokens, firstMs, totalMs),
    ...stats,
  };
}

/**
 * A role-play as a session runs it, on one LlamaLLM (one KV cache): the first turn cold (fresh
 * context, system prompt not evaluated yet), then warm turns that only add the new words. A second
 * fresh LlamaLLM shows the first turn after `preload(systemPrompt)`, which sessions call while the
 * greeting plays. Options are the session's (`new LlamaLLM(weights, {})`: temperature 0.3, 90 tokens
 * at most), so replies differ between runs; greedy decoding was tried and makes SmolLM2 repeat its
 * first reply word for word on every later turn, which is no realistic load either.
 */
export async function runLlm(): Promise<{ loadMs: number; preloadMs: number; turns: TLlmTurn[]; promptTitle: string }> {
  const play = benchRolePlay();
  const loadStarted = performance.now();
  const weights = await loadLocalLlmWeights();
  const loadMs = performance.now() - loadStarted;
  // The agent's own setting, so the bench measures what sessions run.
  const opts = process.env.LOCAL_LLM_THREADS ? { threads: Number(process.env.LOCAL_LLM_THREADS) } : {};

  const ctx = llm.ChatContext.empty();
  ctx.addMessage({ role: 'system', content: play.instructions });
  ctx.addMessage({ role: 'assistant', content: play.greeting });
  const turns: TLlmTurn[] = [];
  const cold = new LlamaLLM(weights, opts);
  try {
    for (const [i, trainee] of play.traineeTurns.entries()) {
      ctx.addMessage({ role: 'user', content: trainee });
      const t = await turn(cold, ctx, i === 0 ? 'cold' : 'warm', trainee);
      turns.push(t);
      ctx.addMessage({ role: 'assistant', content: t.reply || '…' });
    }
  } finally {
    await cold.aclose();
  }

  const preloaded = new LlamaLLM(weights, opts);
  let preloadMs = Number.NaN;
  try {
    const started = performance.now();
    await preloaded.preload(play.instructions);
    preloadMs = performance.now() - started;
    const first = llm.ChatContext.empty();
    first.addMessage({ role: 'system', content: play.instructions });
    first.addMessage({ role: 'assistant', content: play.greeting });
    first.addMessage({ role: 'user', content: play.traineeTurns[0]! });
    turns.push(await turn(preloaded, first, 'preloaded', play.traineeTurns[0]!));
  } finally {
    await preloaded.aclose();
  }
  return { loadMs, preloadMs, turns, promptTitle: play.title };
}

export function llmSection(run: Awaited<ReturnType<typeof runLlm>>): TSection {
  const cold = run.turns.find((t) => t.kind === 'cold');
  const preloaded = run.turns.find((t) => t.kind === 'preloaded');
  const warm = run.turns.filter((t) => t.kind === 'warm');
  const warmTtft = summarize(warm.map((t) => t.ttftMs));
  const warmRate = summarize(warm.map((t) => t.tokensPerSec));
  const warmEval = summarize(warm.map((t) => t.evaluatedPromptTokens));
  const rows: TRow[] = [
    section(`LLM SmolLM2-135M Q4_1 (node-llama-cpp, 1 thread) — role-play "${run.promptTitle}", ${run.turns.length - 1} trainee turns`),
    figure('model load (weights, once per process)', run.loadMs, fmt.ms),
    figure('first turn, cold: time to first token', cold?.ttftMs ?? Number.NaN, fmt.ms),
    figure('first turn, cold: prompt tokens evaluated', cold?.evaluatedPromptTokens ?? Number.NaN, fmt.count),
    figure('first turn, cold: decode speed', cold?.tokensPerSec ?? Number.NaN, (v) => fmt.perSecond(v, 'tok')),
    figure('warm turns: time to first token', warmTtft, fmt.ms, LLM_WARM_TTFT_TARGET),
    figure('warm turns: prompt tokens evaluated', warmEval, fmt.count),
    figure('warm turns: decode speed', warmRate, (v) => fmt.perSecond(v, 'tok')),
    figure('preload(system prompt), off the turn path', run.preloadMs, fmt.ms),
    figure('first turn after preload: time to first token', preloaded?.ttftMs ?? Number.NaN, fmt.ms, LLM_WARM_TTFT_TARGET),
    figure('warm ÷ cold time to first token (p50)', ratio(warmTtft.p50, cold?.ttftMs), fmt.ratio),
    figure('preloaded ÷ cold first-turn time to first token', ratio(preloaded?.ttftMs, cold?.ttftMs), fmt.ratio),
  ];
  const details = [
    'LLM turns (prompt tokens evaluated / in prompt, reply tokens, TTFT, decode speed):',
    ...run.turns.map(
      (t, i) =>
        `  ${t.kind === 'preloaded' ? ' 1' : String(i + 1).padStart(2)} ${t.kind.padEnd(9)} ${String(t.evaluatedPromptTokens).padStart(4)}/${String(t.promptTokens).padEnd(4)} ` +
        `${String(t.completionTokens).padStart(3)} tok  ${fmt.ms(t.ttftMs).padStart(8)}  ${fmt.perSecond(t.tokensPerSec, 'tok').padStart(11)}  "${t.reply.replace(/\s+/g, ' ').slice(0, 60)}"`,
    ),
  ];
  return { rows, details, data: { ...run, warmTtftMs: warmTtft, warmTokensPerSec: warmRate }, ran: run.turns.length > 0 };
}
