import type { Db, TCitation, TPersona } from '@avatar-adam/db';
import type { llm, log, voice } from '@livekit/agents';
import { coachInstructions } from '../prompts/coach';
import { coachGreeting } from '../prompts/greeting';
import type { EmbeddingProvider } from '../providers';
import { formatPassages, retrieveForQuestion } from '../tools/knowledge';
import { GreetingAgent } from './greeting-agent';

/** Shorter turns ("okay", "thanks Adam") are conversation, not questions: no lookup. */
const MIN_QUESTION_WORDS = 3;

export const NOTHING_FOUND_NOTE =
  "Nothing in the dealership's training materials matches the trainee's last question. If it asks about policy, products, pricing or compliance, say \"I don't have that in your materials\" and suggest asking their manager; do not invent policy.";

export type TCoachKnowledge = {
  db: Db;
  dealershipId: string;
  embeddings: EmbeddingProvider | null;
  logger: ReturnType<typeof log>;
  /** Called with the sources of the reply about to be generated (live display, recording). */
  onCitations: (citations: TCitation[]) => void;
};

/**
 * Adam, the F&I coach. Before each answer he looks the question up in the dealership's own
 * documents (hybrid retrieval, scoped to the dealership) and answers from those passages only.
 * The lookup runs before every reply to a trainee message, not as a tool the model may or may not
 * call: a small local model calls tools unreliably, and one fixed lookup costs tens of
 * milliseconds. It runs in `llmNode` rather than `onUserTurnCompleted` because that node also
 * serves preemptive generation (started during the end-of-turn delay, so the lookup overlaps it),
 * which a change made in onUserTurnCompleted would throw away.
 */
export class CoachAgent extends GreetingAgent {
  constructor(private readonly opts: { persona: TPersona; traineeName: string; knowledge: TCoachKnowledge }) {
    super({ instructions: coachInstructions(opts), greeting: coachGreeting(opts) });
  }

  override async llmNode(chatCtx: llm.ChatContext, toolCtx: llm.ToolContext, modelSettings: voice.ModelSettings) {
    const last = chatCtx.items.findLast((i) => i.type === 'message' && (i.role === 'user' || i.role === 'assistant'));
    // Idle check-ins and other replies that answer no new question get no lookup.
    if (last?.type === 'message' && last.role === 'user') await this.addKnowledge(chatCtx, last);
    return super.llmNode(chatCtx, toolCtx, modelSettings);
  }

  /** Looks the question up and adds the passages (or "nothing found") to this reply's context only. */
  async addKnowledge(chatCtx: llm.ChatContext, question: llm.ChatMessage): Promise<void> {
    const text = (question.textContent ?? '').trim();
    if (text.split(/\s+/).filter(Boolean).length < MIN_QUESTION_WORDS) return;
    const { knowledge } = this.opts;
    const started = Date.now();
    let note: string;
    let citations: TCitation[] = [];
    try {
      const found = await retrieveForQuestion({
        db: knowledge.db,
        dealershipId: knowledge.dealershipId,
        question: text,
        embeddings: knowledge.embeddings,
        onEmbeddingError: (error) => knowledge.logger.warn({ error }, 'question embedding failed; full-text retrieval only'),
      });
      citations = found.citations;
      note = found.hits.length > 0 ? formatPassages(found.hits) : NOTHING_FOUND_NOTE;
      knowledge.logger.debug(
        { retrievalMs: Date.now() - started, hits: found.hits.length, embedded: found.embedded },
        'knowledge retrieved',
      );
    } catch (error) {
      // The trainee still gets an answer, just not a grounded one: say so rather than guess.
      knowledge.logger.error({ error }, 'knowledge retrieval failed');
      note = NOTHING_FOUND_NOTE;
    }
    chatCtx.addMessage({ role: 'system', content: note });
    knowledge.onCitations(citations);
  }
}
