import OpenAI from 'openai';
import type { TResolvedProviders } from '../providers';
import type { TJudge } from './judge';

/**
 * The scorecard's LLM judge, when an OpenAI-compatible chat model is in the plan: structured
 * output (a JSON schema the server enforces) at temperature 0. The small local model is not used
 * as a judge: at 135M parameters it invents evidence, and every invented quote would be rejected
 * anyway, so scorecards on the local engines come from the deterministic rules alone (and say so).
 */
export function createJudge(resolved: Pick<TResolvedProviders, 'config' | 'plan'>): TJudge | undefined {
  const choice = resolved.plan.llm.chain.find((c) => c.engine === 'openai');
  if (!choice) return undefined;
  const client = new OpenAI({
    apiKey: resolved.config.OPENAI_API_KEY ?? 'not-needed',
    baseURL: resolved.config.OPENAI_BASE_URL,
    timeout: 60_000,
    maxRetries: 1,
  });
  return async ({ system, user, schema }) => {
    const response = await client.chat.completions.create({
      model: choice.model,
      temperature: 0,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'scorecard', schema, strict: false } },
    });
    const content = response.choices[0]?.message.content;
    if (!content) throw new Error('the judge returned no content');
    return content;
  };
}
