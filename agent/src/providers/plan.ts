import { log } from '@livekit/agents';
import { pullCommand } from '../models';
import {
  type TCapabilityPlan,
  type TProviderConfig,
  type TProviderPlan,
  describePlan,
  parseProviderSettings,
  planProviders,
} from './config';
import { PIPER_MODEL_ID, SMOLLM2_MODEL_ID, WHISPER_MODEL_ID } from './model-ids';
import { type TLocalFiles, probeLocalEngines } from './probe';

/*
 * Choosing engines, without loading any: the worker's supervisor, `npm run dev` and
 * `npm run models -- list` import this module only, so they stay small and quick.
 */

export type TResolvedProviders = { config: TProviderConfig; plan: TProviderPlan; files: TLocalFiles };

/**
 * Validates the provider settings and looks at what is installed. Throws `ProviderConfigError`
 * (what to change) when the settings ask for something that cannot run, or a capability has no
 * engine at all.
 */
export async function resolveProviders(env: NodeJS.ProcessEnv = process.env): Promise<TResolvedProviders> {
  const config = parseProviderSettings(env);
  const { probe, files } = await probeLocalEngines();
  return { config, plan: planProviders(config, probe), files };
}

/** The one line per capability an operator reads at start, plus hints for better local engines. */
export function logProviderPlan(plan: TProviderPlan): void {
  const logger = log();
  for (const capability of ['stt', 'llm', 'tts', 'embeddings'] as const) {
    const p = plan[capability];
    logger.info({ capability, chain: p.chain.map((c) => `${c.engine}:${c.model}`) }, describePlan(p));
  }
  for (const hint of upgradeHints(plan)) logger.warn(hint);
}

/** "a better engine than the one in use is one command away" — for the worker and `npm run dev`. */
export function upgradeHints(plan: TProviderPlan): string[] {
  const hints: string[] = [];
  const uses = (p: TCapabilityPlan, engine: string) => p.chain.some((c) => c.engine === engine);
  const hint = (p: TCapabilityPlan, engine: string, modelId: string, what: string) => {
    const skip = p.skipped.find((s) => s.engine === engine);
    if (skip && !uses(p, engine)) hints.push(`${what}: ${skip.reason}; run: ${skip.fix ?? pullCommand(modelId)}`);
  };
  hint(plan.stt, 'whisper', WHISPER_MODEL_ID, 'Whisper would transcribe far better');
  hint(plan.llm, 'llama', SMOLLM2_MODEL_ID, 'no local LLM');
  if (uses(plan.tts, 'flite')) hint(plan.tts, 'piper', PIPER_MODEL_ID, 'a neural voice would sound natural');
  if (plan.embeddings.chain.length === 0) {
    hint(plan.embeddings, 'minilm', 'all-minilm-l6-v2', 'coach retrieval is full-text only');
  }
  return hints;
}

