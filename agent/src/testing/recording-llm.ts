import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';

/**
 * For tests only: a stand-in LLM that records every chat context it is asked to answer and replies
 * with fixed text, so persona logic can be checked deterministically on the text-only AgentSession.
 */
export class RecordingLLM extends llm.LLM {
  readonly received: llm.ChatContext[] = [];

  constructor(private readonly reply = 'Hold on, that is not the number I was given.') {
    super();
  }

  label(): string {
    return 'test.RecordingLLM';
  }

  chat(opts: {
    chatCtx: llm.ChatContext;
    toolCtx?: llm.ToolContextLike;
    connOptions?: APIConnectOptions;
    parallelToolCalls?: boolean;
    toolChoice?: llm.ToolChoice;
    extraKwargs?: Record<string, unknown>;
  }): llm.LLMStream {
    this.received.push(opts.chatCtx.copy());
    return new FixedReply(this, this.reply, { ...opts, connOptions: opts.connOptions ?? DEFAULT_API_CONNECT_OPTIONS });
  }
}

class FixedReply extends llm.LLMStream {
  constructor(
    owner: llm.LLM,
    private readonly text: string,
    opts: ConstructorParameters<typeof llm.LLMStream>[1],
  ) {
    super(owner, opts);
  }

  protected async run(): Promise<void> {
    this.queue.put({ id: 'fixed', delta: { role: 'assistant', content: this.text } });
  }
}

/** The system messages a recorded context held, in order. */
export const systemTexts = (ctx: llm.ChatContext) =>
  ctx.items.flatMap((i) => (i.type === 'message' && i.role === 'system' ? [i.textContent ?? ''] : []));
