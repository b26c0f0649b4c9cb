import { describe, expect, it } from 'vitest';
import { ProviderConfigError, type TLocalProbe, ZProviderConfig, describePlan, parseProviderSettings, planProviders } from './config';

const ALL_LOCAL: TLocalProbe = {
  whisper: { ok: true, model: 'tiny.en' },
  pocketsphinx: { ok: true, model: 'en-us' },
  llama: { ok: true, model: 'SmolLM2' },
  piper: { ok: true, model: 'joe' },
  flite: { ok: true, model: 'slt' },
  minilm: { ok: true, model: 'MiniLM' },
};
const DEBIAN_ONLY: TLocalProbe = {
  ...ALL_LOCAL,
  whisper: { ok: false, reason: 'whisper-tiny.en-ct2 is not installed', fix: 'npm run models -- pull whisper-tiny.en-ct2' },
  llama: { ok: false, reason: 'smollm2 is not installed', fix: 'npm run models -- pull smollm2-135m-instruct-q4_1' },
  piper: { ok: false, reason: 'piper is not installed', fix: 'npm run models -- pull piper-en_US-joe-medium' },
  minilm: { ok: false, reason: 'minilm is not installed', fix: 'npm run models -- pull all-minilm-l6-v2' },
};

const config = (env: Record<string, string> = {}) => ZProviderConfig.parse(env);
const engines = (plan: ReturnType<typeof planProviders>, c: keyof typeof plan) => plan[c].chain.map((x) => x.engine);

describe('provider settings', () => {
  it('treat empty variables as unset', () => {
    const config = parseProviderSettings({ OPENAI_API_KEY: '', OPENAI_BASE_URL: ' ', AGENT_LLM: '' });
    expect(config.OPENAI_API_KEY).toBeUndefined();
    expect(config.AGENT_LLM).toBe('auto');
  });

  it('name every bad variable in one error', () => {
    expect(() => parseProviderSettings({ OPENAI_BASE_URL: 'ftp://x', AGENT_TTS: 'say' })).toThrow(
      /^Invalid provider settings: .*AGENT_TTS: unknown TTS engine "say".*OPENAI_BASE_URL/,
    );
  });
});

describe('provider plan', () => {
  it('with no keys, uses the best installed local engine first and the rest as failover', () => {
    const plan = planProviders(config(), ALL_LOCAL);
    expect(engines(plan, 'stt')).toEqual(['whisper', 'pocketsphinx']);
    expect(engines(plan, 'llm')).toEqual(['llama']);
    expect(engines(plan, 'tts')).toEqual(['piper', 'flite']);
    expect(engines(plan, 'embeddings')).toEqual(['minilm']);
    expect(plan.stt.skipped).toEqual([{ engine: 'openai', reason: 'OPENAI_API_KEY is not set' }]);
  });

  it('with keys, puts the cloud first and keeps local engines as failover', () => {
    const plan = planProviders(config({ OPENAI_API_KEY: 'sk-test', ELEVENLABS_API_KEY: 'el-test' }), ALL_LOCAL);
    expect(engines(plan, 'stt')).toEqual(['openai', 'whisper', 'pocketsphinx']);
    expect(engines(plan, 'llm')).toEqual(['openai', 'llama']);
    expect(engines(plan, 'tts')).toEqual(['elevenlabs', 'openai', 'piper', 'flite']);
    // One embedding model only: vectors of two models cannot be searched together.
    expect(engines(plan, 'embeddings')).toEqual(['openai']);
    expect(plan.llm.chain[0]).toMatchObject({ model: 'gpt-4.1-mini', why: 'OPENAI_API_KEY is set' });
  });

  it('an OpenAI-compatible base URL serves chat and embeddings, and speech only when listed', () => {
    const auto = planProviders(config({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_LLM_MODEL: 'qwen2.5:7b' }), ALL_LOCAL);
    expect(engines(auto, 'llm')).toEqual(['openai', 'llama']);
    expect(auto.llm.chain[0]).toMatchObject({ model: 'qwen2.5:7b', why: 'OPENAI_BASE_URL is http://127.0.0.1:11434/v1' });
    expect(engines(auto, 'stt')).toEqual(['whisper', 'pocketsphinx']);
    const listed = planProviders(config({ OPENAI_BASE_URL: 'http://10.0.0.5:8000/v1', AGENT_STT: 'openai,whisper' }), ALL_LOCAL);
    expect(engines(listed, 'stt')).toEqual(['openai', 'whisper']);
  });

  it('an explicit list is used in its order and must be satisfiable', () => {
    const plan = planProviders(config({ AGENT_TTS: 'flite', AGENT_LLM: 'llama' }), ALL_LOCAL);
    expect(engines(plan, 'tts')).toEqual(['flite']);
    expect(() => planProviders(config({ AGENT_LLM: 'openai' }), ALL_LOCAL)).toThrow(
      new ProviderConfigError('AGENT_LLM lists openai, but OPENAI_API_KEY is not set'),
    );
    expect(() => planProviders(config({ AGENT_STT: 'whisper' }), DEBIAN_ONLY)).toThrow(
      /AGENT_STT lists whisper, but whisper-tiny.en-ct2 is not installed; fix: npm run models -- pull whisper-tiny.en-ct2/,
    );
  });

  it('rejects unknown engines, duplicates, and two embedding models, naming the setting', () => {
    expect(() => config({ AGENT_STT: 'whisper,deepgram' })).toThrow(/unknown STT engine \\"deepgram\\"[\s\S]*openai, whisper, pocketsphinx/);
    expect(() => config({ AGENT_TTS: 'flite,flite' })).toThrow(/listed twice/);
    expect(() => config({ PROVIDER_TIMEOUT_MS: '50' })).toThrow();
    expect(() => planProviders(config({ AGENT_EMBEDDINGS: 'openai,minilm', OPENAI_API_KEY: 'k' }), ALL_LOCAL)).toThrow(
      /AGENT_EMBEDDINGS takes one engine/,
    );
  });

  it('with Debian speech engines and only the LLM pulled it still talks, and says how to do better', () => {
    const plan = planProviders(config(), { ...DEBIAN_ONLY, llama: ALL_LOCAL.llama });
    expect(engines(plan, 'stt')).toEqual(['pocketsphinx']);
    expect(engines(plan, 'tts')).toEqual(['flite']);
    expect(engines(plan, 'embeddings')).toEqual([]);
    expect(describePlan(plan.embeddings)).toMatch(/^Embeddings: none — retrieval uses full-text search only; .*pull all-minilm-l6-v2/);
  });

  it('fails with every reason when a capability has no engine at all', () => {
    const none = { ...DEBIAN_ONLY, pocketsphinx: { ok: false as const, reason: 'pocketsphinx is not installed', fix: 'apt-get install pocketsphinx' } };
    expect(() => planProviders(config(), none)).toThrow(
      /no STT engine is available — openai: OPENAI_API_KEY is not set; whisper: .*; pocketsphinx: pocketsphinx is not installed \(fix: apt-get install pocketsphinx\)/,
    );
  });

  it('describes each capability in one line: engine, model, why, failover', () => {
    const plan = planProviders(config({ OPENAI_API_KEY: 'sk-test' }), ALL_LOCAL);
    expect(describePlan(plan.llm)).toBe('LLM: openai gpt-4.1-mini — OPENAI_API_KEY is set; failover: llama SmolLM2');
    expect(describePlan(planProviders(config(), ALL_LOCAL).stt)).toBe(
      'STT: whisper tiny.en — local Whisper via faster-whisper; failover: pocketsphinx en-us',
    );
  });
});
