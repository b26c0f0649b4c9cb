import { setTimeout as sleep } from 'node:timers/promises';
import { type Db, type TCitation, type TTurnLatency, appendSessionTurn, recordTurnMetrics } from '@avatar-adam/db';
import type { llm, log } from '@livekit/agents';
import type { TMetricSink } from '../metrics/events';
import { recordReplyLatency } from '../metrics/session-metrics';

type Logger = ReturnType<typeof log>;
type TMessage = llm.ChatMessage;

/** What the recorder saw committed, for whoever shows it live (citations to the web app). */
export type TRecordedTurn = {
  sequence: number;
  speaker: 'trainee' | 'agent';
  text: string;
  interrupted: boolean;
  citations: TCitation[];
  startedAt: Date;
  endedAt?: Date;
};

const RETRY_DELAYS_MS = [200, 1000, 3000];
/** How long a trainee turn waits for the agent reply it may have cut off. */
const HOLD_TRAINEE_TURN_MS = 1500;

type TPendingTurn = Omit<TRecordedTurn, 'sequence'> & { startedAt: Date; endedAt?: Date; latency?: TTurnLatency };

/**
 * Writes every committed turn, and each agent reply's latency breakdown, to the database as the
 * conversation happens — one write at a time, in spoken order, retried on transient errors — so
 * a crash or kill later in the session loses nothing already said.
 */
export class TurnRecorder {
  private sequence = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Timings of trainee turns not yet joined with the agent reply that answers them. */
  private userMetrics: llm.ChatMessage['metrics'][] = [];
  private failures = 0;
  private traineeTurnCount = 0;
  private held: TPendingTurn[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  /** This voice's speaking rate, learnt from replies that played out whole. */
  private charsPerSecond = DEFAULT_CHARS_PER_SECOND;

  constructor(
    private readonly opts: {
      db: Db;
      sessionId: string;
      dealershipId: string;
      logger: Logger;
      /** Citations for the reply being generated, taken once by the next agent turn. */
      takeCitations: () => TCitation[];
      onRecorded?: (turn: TRecordedTurn) => void;
      /** Turns already stored for this session (a job that took over after a crash continues after them). */
      recordedBefore?: number;
      /** Each stored reply's latency also goes to the worker's /metrics. */
      metrics?: TMetricSink;
    },
  ) {
    this.sequence = opts.recordedBefore ?? 0;
  }

  /** Feed every `conversation_item_added` message here. */
  record(message: TMessage): void {
    if (message.role !== 'user' && message.role !== 'assistant') return;
    const text = this.heardText(message);
    const generated = message.role === 'assistant' && message.metrics.llmNodeTtft !== undefined;
    if (message.role === 'user') this.userMetrics.push(message.metrics);
    const citations = message.role === 'assistant' ? this.opts.takeCitations() : [];
    // A generated reply answers a trainee turn: that turn's timings join its own. A `say()`
    // (greeting, check-in) answers nothing and keeps only its own.
    const answered = generated ? this.takeAnsweredTurn(message.metrics.startedSpeakingAt) : undefined;
    const latency = message.role === 'assistant' ? replyLatency(answered, message.metrics) : undefined;
    // An agent reply interrupted before any word was played was never heard: nothing to keep.
    if (!text) return;
    const turn: TPendingTurn = {
      speaker: message.role === 'user' ? 'trainee' : 'agent',
      text,
      interrupted: message.interrupted,
      citations,
      ...turnTimes(message),
      latency,
    };
    if (turn.speaker === 'trainee') {
      this.traineeTurnCount++;
      this.hold(turn);
      return;
    }
    // A barge-in is confirmed only once the trainee's words are transcribed, so the reply they
    // cut off is committed just after their turn: put the two back in the order they were spoken.
    const turns = [...this.releaseHeld(), turn].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    for (const t of turns) this.write(t);
  }

  /**
   * The trainee turn a reply answers: the latest one that ended before the reply started. After a
   * barge-in the interrupting turn is committed before the reply it cut off; it belongs to the
   * next reply, so it stays queued.
   */
  private takeAnsweredTurn(replyStartedAt: number | undefined): llm.ChatMessage['metrics'] | undefined {
    const ended = (m: llm.ChatMessage['metrics']) =>
      replyStartedAt === undefined || m.stoppedSpeakingAt === undefined || m.stoppedSpeakingAt <= replyStartedAt;
    const index = this.userMetrics.findLastIndex(ended);
    if (index < 0) return undefined;
    const [answered] = this.userMetrics.splice(0, index + 1).slice(-1);
    return answered;
  }

  /** Keeps a trainee turn back briefly, in case the reply it interrupted is committed after it. */
  private hold(turn: TPendingTurn): void {
    this.held.push(turn);
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      for (const t of this.releaseHeld()) this.write(t);
    }, HOLD_TRAINEE_TURN_MS);
    this.holdTimer.unref();
  }

  private releaseHeld(): TPendingTurn[] {
    clearTimeout(this.holdTimer);
    return this.held.splice(0);
  }

  private write(pending: TPendingTurn): void {
    const { latency, ...rest } = pending;
    const turn: TRecordedTurn = { sequence: ++this.sequence, ...rest };
    // The figures stored below, observed now rather than after the database answers.
    if (latency && this.opts.metrics) recordReplyLatency(this.opts.metrics, latency);
    this.enqueue(`turn ${turn.sequence}`, async () => {
      const row = await appendSessionTurn({ ...this.base(), ...turn });
      this.opts.onRecorded?.(turn);
      if (!latency) return;
      this.opts.logger.info({ sequence: turn.sequence, ...latency }, 'reply latency');
      await recordTurnMetrics({ ...this.base(), turnId: row.id, latency });
    });
  }

  /**
   * The text as the trainee heard it. agents-js cuts an interrupted generated reply to what was
   * played, but stores a `say()` (greeting, check-in, goodbye) whole; for those the played share
   * is estimated from how long the agent spoke and this voice's measured speaking rate.
   */
  private heardText(message: TMessage): string {
    const text = (message.textContent ?? '').trim();
    if (message.role !== 'assistant') return text;
    const { startedSpeakingAt, stoppedSpeakingAt, llmNodeTtft } = message.metrics;
    if (startedSpeakingAt === undefined || stoppedSpeakingAt === undefined) return text;
    const spokenSeconds = stoppedSpeakingAt - startedSpeakingAt;
    if (!message.interrupted) {
      if (spokenSeconds > 1 && text.length > 20) this.charsPerSecond = text.length / spokenSeconds;
      return text;
    }
    return llmNodeTtft === undefined ? heardPortion(text, spokenSeconds, this.charsPerSecond) : text;
  }

  /** Writes any held turn now, and resolves once every turn so far is written (or given up on). */
  flush(): Promise<void> {
    for (const t of this.releaseHeld()) this.write(t);
    return this.queue;
  }

  /** Trainee turns recorded by this job: a session where the trainee never spoke has nothing to score. */
  get traineeTurns(): number {
    return this.traineeTurnCount;
  }

  get failedWrites(): number {
    return this.failures;
  }

  private base() {
    return { db: this.opts.db, sessionId: this.opts.sessionId, dealershipId: this.opts.dealershipId };
  }

  private enqueue(what: string, write: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await write();
        } catch (error) {
          const delay = RETRY_DELAYS_MS[attempt];
          if (delay === undefined) {
            this.failures++;
            this.opts.logger.error({ error, what }, 'could not record a turn');
            return;
          }
          this.opts.logger.warn({ error, what, attempt: attempt + 1 }, 'recording a turn failed; retrying');
          await sleep(delay);
        }
      }
    });
  }
}

/** A stage that did not run, or a clock oddity (negative), is left out rather than stored wrong. */
const ms = (seconds: number | undefined) =>
  seconds === undefined || !Number.isFinite(seconds) || seconds < 0 ? undefined : Math.round(seconds * 1000);

/** agents-js reports seconds; the database stores milliseconds. Undefined when nothing was timed. */
export function replyLatency(
  user: llm.ChatMessage['metrics'] | undefined,
  reply: llm.ChatMessage['metrics'],
): TTurnLatency | undefined {
  const latency: TTurnLatency = {
    endOfUtteranceDelayMs: ms(user?.endOfTurnDelay),
    transcriptionDelayMs: ms(user?.transcriptionDelay),
    llmTtftMs: ms(reply.llmNodeTtft),
    ttsTtfbMs: ms(reply.ttsNodeTtfb),
    voiceToVoiceMs: ms(reply.e2eLatency),
  };
  const timed = Object.values(latency).some((v) => v !== undefined);
  return timed ? latency : undefined;
}

function turnTimes(message: TMessage): { startedAt: Date; endedAt?: Date } {
  const { startedSpeakingAt, stoppedSpeakingAt } = message.metrics;
  return {
    startedAt: new Date(startedSpeakingAt !== undefined ? startedSpeakingAt * 1000 : message.createdAt),
    endedAt: stoppedSpeakingAt !== undefined ? new Date(stoppedSpeakingAt * 1000) : undefined,
  };
}

/** A typical text-to-speech pace (about 160 words a minute), until the session measures its own. */
export const DEFAULT_CHARS_PER_SECOND = 14;

/** The whole words of `text` spoken in `seconds` at `charsPerSecond`; never more than the text. */
export function heardPortion(text: string, seconds: number, charsPerSecond: number): string {
  const budget = Math.max(0, seconds) * charsPerSecond;
  if (budget >= text.length) return text;
  const words = text.split(/\s+/).filter(Boolean);
  const kept: string[] = [];
  let used = 0;
  for (const word of words) {
    used += word.length + (kept.length > 0 ? 1 : 0);
    if (used > budget) break;
    kept.push(word);
  }
  return kept.join(' ');
}
