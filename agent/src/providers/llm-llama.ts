import { stat } from 'node:fs/promises';
import { type APIConnectOptions, APIConnectionError, DEFAULT_API_CONNECT_OPTIONS, llm, log } from '@livekit/agents';
import type {
  ChatHistoryItem,
  ChatModelFunctions,
  ChatModelResponse,
  GbnfJsonSchema,
  Llama,
  LlamaChat,
  LlamaContext,
  LlamaModel,
} from 'node-llama-cpp';
import { resolveModel } from '../models';

import { SMOLLM2_MODEL_ID } from './model-ids';

export { SMOLLM2_MODEL_ID };
const SMOLLM2_FILE = 'SmolLM2-135M-Instruct.Q4_1.gguf';

/** Why the local LLM cannot be used; `fix` is the one command that repairs it. */
export class LlamaModelError extends Error {
  readonly fix: string;
  constructor(
    readonly code: 'missing' | 'corrupt',
    opts: { modelId: string; detail: string },
    options?: ErrorOptions,
  ) {
    const fix = `npm run models -- pull ${opts.modelId}`;
    super(`local LLM ${opts.modelId} is ${code} (${opts.detail}); install it with: ${fix}`, options);
    this.name = 'LlamaModelError';
    this.fix = fix;
  }
}

export type TLlamaModelInfo = { modelId: string; modelPath: string; loadMs: number };

// Per process, not per session: the weights are read-only and shared by every room's LlamaLLM
// in this job process, so loading them twice would only double memory and start-up time.
let llamaRuntime: Promise<Llama> | undefined;
// node-llama-cpp's bindings (~0.35 s and ~0.5 CPU-s to import) load with the weights, not with this
// module: a job process started for a session imports this module before its greeting, and its
// CPU belongs to the greeting's voice then.
let bindings: Promise<typeof import('node-llama-cpp')> | undefined;
const llamaBindings = () => (bindings ??= import('node-llama-cpp'));
type TLoadedLlama = { model: LlamaModel; info: TLlamaModelInfo };
const loadedModels = new Map<string, Promise<TLoadedLlama>>();

/**
 * Loads a GGUF once per process (CPU build only, never compiles llama.cpp). Rejects with
 * {@link LlamaModelError} — never crashes the process — when the file is missing or corrupt.
 */
export function loadLlamaModel(opts: { modelId: string; modelPath: string }) {
  const cached = loadedModels.get(opts.modelPath);
  if (cached) return cached;
  const loading = (async () => {
    const started = performance.now();
    const exists = await stat(opts.modelPath).then((s) => s.isFile(), () => false);
    if (!exists) throw new LlamaModelError('missing', { modelId: opts.modelId, detail: `no file at ${opts.modelPath}` });
    const { getLlama, LlamaLogLevel } = await llamaBindings();
    llamaRuntime ??= getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    const llama = await llamaRuntime;
    try {
      const model = await llama.loadModel({ modelPath: opts.modelPath });
      const info = { modelId: opts.modelId, modelPath: opts.modelPath, loadMs: Math.round(performance.now() - started) };
      return { model, info };
    } catch (cause) {
      const detail = `${opts.modelPath} failed to load: ${cause instanceof Error ? cause.message : String(cause)}`;
      throw new LlamaModelError('corrupt', { modelId: opts.modelId, detail }, { cause });
    }
  })();
  loadedModels.set(opts.modelPath, loading);
  // A failed load is not cached: after `npm run models -- pull` the next session retries.
  loading.catch(() => loadedModels.delete(opts.modelPath));
  return loading;
}

export type TLlamaLlmOptions = {
  /** Longest reply in tokens: ~60 words, past which a spoken reply loses the listener. */
  maxTokens?: number;
  temperature?: number;
  contextSize?: number;
  /**
   * llama.cpp worker threads. 1 by default: its threads spin while waiting, so on a 2-core box that
   * also runs VAD, STT and TTS, 2 threads measured 4–10x slower per token than 1 under load.
   */
  threads?: number;
  /**
   * Offer the agent's tools to the model through node-llama-cpp's function calling. Off by
   * default: SmolLM2-135M does not produce usable calls, and documenting tools in the prompt
   * only costs it context. With it off, tools are ignored (never an error).
   */
  toolCalling?: boolean;
};

/**
 * Loads the installed SmolLM2 weights into this process (call from the worker's `prewarm`, so a
 * dispatch does not wait ~1–2 s for them). Throws {@link LlamaModelError} naming
 * `npm run models -- pull …` when the model is missing or corrupt.
 */
export async function loadLocalLlmWeights(opts: { modelsDir?: string } = {}) {
  const resolved = await resolveModel(SMOLLM2_MODEL_ID, { dir: opts.modelsDir });
  const modelPath = resolved.status === 'installed' ? resolved.files[SMOLLM2_FILE] : undefined;
  if (!modelPath) {
    const code = resolved.status === 'corrupt' ? 'corrupt' : 'missing';
    const reason = resolved.status === 'installed' ? `${SMOLLM2_FILE} not recorded` : resolved.reason;
    throw new LlamaModelError(code, { modelId: SMOLLM2_MODEL_ID, detail: reason });
  }
  return loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath });
}

/** The installed SmolLM2 as an agents-js LLM, one per room (the weights are shared per process). */
export async function createLocalLlm(opts: TLlamaLlmOptions & { modelsDir?: string } = {}): Promise<LlamaLLM> {
  return new LlamaLLM(await loadLocalLlmWeights(opts), opts);
}

export type TLlamaTurnStats = { promptTokens: number; evaluatedPromptTokens: number; completionTokens: number };

/**
 * agents-js LLM on a local GGUF via node-llama-cpp. One instance per room: it owns one context
 * sequence whose KV cache persists across turns, so each turn evaluates only the tokens that
 * differ from the previous one (normally the new user turn; after a truncated, interrupted reply,
 * everything from the first changed token). The agents ChatContext stays the source of truth.
 */
export class LlamaLLM extends llm.LLM {
  readonly #modelId: string;
  readonly #load: () => Promise<TLoadedLlama>;
  #loaded?: Promise<TLoadedLlama>;
  readonly #opts: Required<TLlamaLlmOptions>;
  #state?: Promise<{ model: LlamaModel; context: LlamaContext; chat: LlamaChat }>;
  #busy: Promise<void> = Promise.resolve();
  /** The last finished turn's token counts: shows whether the KV cache was reused. */
  lastTurn?: TLlamaTurnStats;

  /**
   * `loaded` is the loaded weights, or how to load them: a session's model starts loading a moment
   * into the greeting ({@link startLoading}) or at the first turn, whichever comes first, so
   * neither an idle job process nor the greeting pays for the weights.
   */
  constructor(loaded: TLoadedLlama | { modelId: string; load: () => Promise<TLoadedLlama> }, opts: TLlamaLlmOptions = {}) {
    super();
    if ('load' in loaded) {
      this.#modelId = loaded.modelId;
      this.#load = loaded.load;
    } else {
      this.#modelId = loaded.info.modelId;
      this.#load = () => Promise.resolve(loaded);
    }
    this.#opts = { maxTokens: 90, temperature: 0.3, contextSize: 2048, threads: 1, toolCalling: false, ...opts };
  }

  static async create(opts: { modelId: string; modelPath: string } & TLlamaLlmOptions): Promise<LlamaLLM> {
    return new LlamaLLM(await loadLlamaModel(opts), opts);
  }

  label(): string {
    return 'avatar-adam.LlamaLLM';
  }
  override get model(): string {
    return this.#modelId;
  }
  override get provider(): string {
    return 'node-llama-cpp';
  }
  /** Where the weights came from and how long they took to load, once loaded. */
  async info(): Promise<TLlamaModelInfo> {
    return (await this.#weights()).info;
  }

  /** Starts loading the weights now, ahead of the first turn; a failure is reported by that turn. */
  startLoading(): void {
    this.#weights().catch(() => {});
  }

  #weights(): Promise<TLoadedLlama> {
    this.#loaded ??= this.#load();
    return this.#loaded;
  }

  /** Evaluates the system prompt into the KV cache at room start, so the first turn only adds the user's words. */
  async preload(systemPrompt: string): Promise<void> {
    const ctx = llm.ChatContext.empty();
    ctx.addMessage({ role: 'system', content: systemPrompt });
    await this.#exclusive(async () => {
      const { chat, model } = await this.#ensureState();
      const { contextText } = chat.chatWrapper.generateContextState({ chatHistory: toLlamaHistory(ctx).history });
      // Only the tokens the next turn will share get evaluated; the sequence keeps them as its prefix.
      await chat.sequence.evaluateWithoutGeneratingNewTokens(contextText.tokenize(model.tokenizer));
    });
  }

  chat({
    chatCtx,
    toolCtx,
    connOptions = DEFAULT_API_CONNECT_OPTIONS,
  }: {
    chatCtx: llm.ChatContext;
    toolCtx?: llm.ToolContextLike;
    connOptions?: APIConnectOptions;
    parallelToolCalls?: boolean;
    toolChoice?: llm.ToolChoice;
    extraKwargs?: Record<string, unknown>;
  }): LlamaLLMStream {
    // A local engine has nothing to retry: a failed turn fails the same way again.
    return new LlamaLLMStream(this, { chatCtx, toolCtx, connOptions: { ...connOptions, maxRetry: 0 } });
  }

  override async aclose(): Promise<void> {
    await super.aclose();
    const state = await this.#state?.catch(() => undefined);
    this.#state = undefined;
    await state?.context.dispose();
  }

  /** @internal One generation at a time per sequence; a new turn waits for the aborted one to stop. */
  async _generate(
    chatCtx: llm.ChatContext,
    toolCtx: llm.ToolContext | undefined,
    signal: AbortSignal,
    onText: (text: string) => void,
  ) {
    return this.#exclusive(async () => {
      // Interrupted while waiting for the previous turn to stop: nothing to say any more.
      if (signal.aborted) return undefined;
      const { chat } = await this.#ensureState();
      const sequence = chat.sequence;
      const before = sequence.contextTokens;
      let promptTokens: number | undefined;
      let completionTokens = 0;
      const { history, lastIsModelText } = toLlamaHistory(chatCtx);
      if (lastIsModelText) history.push({ type: 'model', response: [] });
      const functions = this.#opts.toolCalling ? toLlamaFunctions(toolCtx) : undefined;
      const res = await chat.generateResponse(history, {
        onTextChunk: onText,
        onToken: (tokens) => {
          // Before the first generated token is evaluated, the sequence holds exactly the prompt.
          promptTokens ??= sequence.nextTokenIndex;
          completionTokens += tokens.length;
        },
        signal,
        stopOnAbortSignal: true,
        maxTokens: this.#opts.maxTokens,
        // A spoken turn is one paragraph; small models otherwise ramble on into new ones.
        customStopTriggers: ['\n\n'],
        temperature: this.#opts.temperature,
        // Small models loop on a phrase ("I'm not a financial advisor…") without a penalty.
        repeatPenalty: { penalty: 1.15, lastTokens: 64 },
        functions,
        // No `lastEvaluationContextWindow`: the history is rebuilt from the ChatContext every turn
        // (a stale window from an interrupted turn would replace it); the KV cache reuse does not
        // depend on it — the sequence keeps every token up to the first one that differs.
      });
      promptTokens ??= sequence.nextTokenIndex;
      const after = sequence.contextTokens;
      let cached = 0;
      while (cached < promptTokens && before[cached] !== undefined && before[cached] === after[cached]) cached++;
      const evaluatedPromptTokens = promptTokens - cached;
      this.lastTurn = { promptTokens, evaluatedPromptTokens, completionTokens };
      return { ...res, turn: this.lastTurn };
    });
  }

  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#busy;
    let release!: () => void;
    this.#busy = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #ensureState() {
    this.#state ??= (async () => {
      const [{ model }, { LlamaChat }] = await Promise.all([this.#weights(), llamaBindings()]);
      const context = await model.createContext({ contextSize: this.#opts.contextSize, threads: this.#opts.threads });
      return { model, context, chat: new LlamaChat({ contextSequence: context.getSequence() }) };
    })();
    return this.#state;
  }
}

export class LlamaLLMStream extends llm.LLMStream {
  readonly #llm: LlamaLLM;

  constructor(
    llmInstance: LlamaLLM,
    opts: { chatCtx: llm.ChatContext; toolCtx?: llm.ToolContextLike; connOptions: APIConnectOptions },
  ) {
    super(llmInstance, opts);
    this.#llm = llmInstance;
  }

  protected async run(): Promise<void> {
    const id = `llama-${Date.now().toString(36)}`;
    const signal = this.abortController.signal;
    try {
      const res = await this.#llm._generate(this.chatCtx, this.toolCtx, signal, (content) => {
        if (content && !signal.aborted) this.queue.put({ id, delta: { role: 'assistant', content } });
      });
      if (!res) return;
      const toolCalls = (res.functionCalls ?? []).map((call, i) =>
        llm.FunctionCall.create({ callId: `${id}-${i}`, name: call.functionName, args: JSON.stringify(call.params ?? {}) }),
      );
      if (toolCalls.length && !signal.aborted) this.queue.put({ id, delta: { role: 'assistant', toolCalls } });
      const { promptTokens, evaluatedPromptTokens, completionTokens } = res.turn;
      this.queue.put({
        id,
        usage: {
          promptTokens,
          promptCachedTokens: promptTokens - evaluatedPromptTokens,
          completionTokens,
          totalTokens: promptTokens + completionTokens,
        },
      });
    } catch (error) {
      if (signal.aborted) return;
      log().error({ error, model: this.#llm.model }, 'local LLM generation failed');
      throw new APIConnectionError({
        message: `local LLM ${this.#llm.model} failed: ${error instanceof Error ? error.message : String(error)}`,
        options: { retryable: false },
      });
    }
  }
}

/** Maps the agents ChatContext onto node-llama-cpp's history (text only; images and audio are dropped). */
export function toLlamaHistory(chatCtx: llm.ChatContext): { history: ChatHistoryItem[]; lastIsModelText: boolean } {
  const history: ChatHistoryItem[] = [];
  const openModel = (): ChatModelResponse => {
    const last = history.at(-1);
    if (last?.type === 'model') return last;
    const fresh: ChatModelResponse = { type: 'model', response: [] };
    history.push(fresh);
    return fresh;
  };
  const outputs = new Map<string, string>();
  for (const item of chatCtx.items) if (item.type === 'function_call_output') outputs.set(item.callId, item.output);
  for (const item of chatCtx.items) {
    if (item.type === 'message') {
      const text = item.textContent?.trim();
      if (!text) continue;
      if (item.role === 'assistant') openModel().response.push(text);
      else if (item.role === 'user') history.push({ type: 'user', text });
      else history.push({ type: 'system', text });
    } else if (item.type === 'function_call') {
      openModel().response.push({
        type: 'functionCall',
        name: item.name,
        params: safeJson(item.args),
        result: outputs.get(item.callId) ?? '',
      });
    }
  }
  const last = history.at(-1);
  const lastIsModelText = last?.type === 'model' && typeof last.response.at(-1) === 'string';
  return { history, lastIsModelText };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toLlamaFunctions(toolCtx: llm.ToolContext | undefined): ChatModelFunctions | undefined {
  const entries = toolCtx ? Object.entries(toolCtx.functionTools) : [];
  if (!entries.length) return undefined;
  return Object.fromEntries(
    entries.map(([name, tool]) => {
      const { $schema: _ignored, ...params } = llm.toJsonSchema(tool.parameters, false) as Record<string, unknown>;
      return [name, { description: tool.description, params: params as GbnfJsonSchema }];
    }),
  );
}
