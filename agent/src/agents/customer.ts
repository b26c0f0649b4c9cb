import type { TDealJacket, TPersona } from '@avatar-adam/db';
import { type llm, voice } from '@livekit/agents';
import { customerInstructions } from '../prompts/customer';
import { customerGreeting } from '../prompts/greeting';
import { checkPaymentTool, checkQuotedPayment, extractPaymentQuotes, type TPaymentCheck } from '../tools/payment';
import { GreetingAgent } from './greeting-agent';

/** Id of the private note attached to one trainee message: lets each hook see the other already added it. */
const noteId = (userMessageId: string) => `payment_note_${userMessageId}`;

// Which of several quoted payments the customer reacts to: the one most worth questioning.
const CONCERN: Record<TPaymentCheck['verdict'], number> = { unexplained: 3, below_base: 2, matches_products: 1, matches_base: 0 };

/**
 * The role-play customer: walks into the F&I office in character, about the car on the deal jacket,
 * and reacts to the real maths of any payment the trainee quotes.
 */
export class CustomerAgent extends GreetingAgent {
  readonly dealJacket: TDealJacket | null;

  /** `seed` (the session id) picks this session's objections, so a session can be replayed. */
  constructor(
    scenario: {
      persona: TPersona;
      dealJacket: TDealJacket | null;
      objections: readonly string[];
      difficulty: 'easy' | 'medium' | 'hard';
    },
    opts: { seed?: string } = {},
  ) {
    super({ instructions: customerInstructions({ ...scenario, seed: opts.seed }), greeting: customerGreeting(scenario) });
    this.dealJacket = scenario.dealJacket;
    // GreetingAgent takes no tools; before the agent runs, updateTools only swaps the tool context.
    if (scenario.dealJacket) void this.updateTools({ check_payment: checkPaymentTool(scenario.dealJacket) });
  }

  /**
   * What the customer privately knows about the payments in `text`, or undefined when it quotes
   * none. Pure arithmetic (microseconds), so running it every turn adds no latency. The small local
   * model cannot call tools reliably, hence this check does not wait for it to.
   */
  paymentNote(text: string): string | undefined {
    const deal = this.dealJacket;
    if (!deal || !text) return undefined;
    const quotes = extractPaymentQuotes(text);
    const checks = quotes.payments.flatMap((payment) => {
      const quote = { payment, aprPercent: quotes.aprs[0], termMonths: quotes.terms[0], productsNamed: quotes.productsNamed };
      try {
        return [checkQuotedPayment({ deal, quote })];
      } catch {
        return []; // a figure the maths cannot check (e.g. a term over 120 months) gets no note
      }
    });
    return checks.reduce<TPaymentCheck | undefined>((worst, c) => (!worst || CONCERN[c.verdict] > CONCERN[worst.verdict] ? c : worst), undefined)
      ?.customerNote;
  }

  /**
   * Every reply that answers a trainee message gets the note, added here rather than in
   * onUserTurnCompleted: this node also runs for preemptive generation (started while the
   * end-of-turn delay is still running), which a change made in onUserTurnCompleted would discard,
   * and for text turns (`session.run`), which skip onUserTurnCompleted in agents-js 1.9.
   * `chatCtx` is the copy built for this reply only, so the note never enters the stored history.
   */
  override async llmNode(chatCtx: llm.ChatContext, toolCtx: llm.ToolContext, modelSettings: voice.ModelSettings) {
    const last = chatCtx.items.findLast((i) => i.type === 'message' && (i.role === 'user' || i.role === 'assistant'));
    if (last?.type === 'message' && last.role === 'user' && !chatCtx.getById(noteId(last.id))) {
      addNote(chatCtx, last, this.paymentNote(last.textContent ?? ''));
    }
    return super.llmNode(chatCtx, toolCtx, modelSettings);
  }
}

function addNote(chatCtx: llm.ChatContext, userMessage: llm.ChatMessage, note: string | undefined): void {
  if (!note) return;
  chatCtx.addMessage({ role: 'system', content: note, id: noteId(userMessage.id), createdAt: userMessage.createdAt + 1 });
}
