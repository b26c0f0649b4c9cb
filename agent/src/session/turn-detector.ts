import type { llm } from '@livekit/agents';

/**
 * When a trainee stops talking, has their turn ended or are they pausing mid-sentence? agents-js
 * asks a turn detector once the transcript is in: a likely end answers after the scenario's
 * shortest wait (its patience minimum), an unlikely one waits up to the longest (its maximum),
 * and the trainee talking on cancels the wait.
 *
 * LiveKit's own detectors are not usable here: the text model (`livekit/turn-detector`) is
 * downloaded from the Hugging Face hub, which an offline deployment does not reach, and the
 * audio model in `@livekit/local-inference` did not tell the ends of our trainees' sentences from
 * their pauses and costs ~65–85 ms per prediction on two cores (README, Performance). So this
 * reads the transcript itself, and takes no time on the reply's path: Whisper marks a trailing-off
 * ("…", a comma), and English does not end a sentence on "the", "and" or "of".
 *
 * It is deliberately sparing with "unlikely": a wrong "unlikely" keeps a finished trainee
 * waiting the whole maximum (seconds), a wrong "likely" costs what a fixed wait did before.
 */

/** Scores at or above this mean the turn has likely ended. */
export const END_OF_TURN_THRESHOLD = 0.5;

/** Words an English sentence (as a trainee says it to a customer) does not end on. */
const TRAILING_WORDS = new Set([
  // articles, possessives and conjunctions that need what follows
  'a', 'an', 'the', 'my', 'your', 'our', 'their',
  'and', 'but', 'or', 'nor', 'because', 'cuz', 'if', 'unless', 'whether', 'than',
  // prepositions that, in F&I talk, come before the figure ("$450 for … 72 months", "plus … tax");
  // not "to" or "about", which do end sentences ("You don't have to.")
  'of', 'for', 'with', 'from', 'into', 'onto', 'per', 'plus', 'versus',
  // an intensifier without what it intensifies
  'very',
  // a subject, or a contraction of "is/am/are/will/would/have", stranded at the end
  'i', "i'm", "i've", "i'd", "i'll", "you're", "you'll", "you've", "we're", "we'll", "we've", "they're",
  "they'll", "it's", "that's", "there's", "here's", "what's", "let's",
  // hesitation
  'um', 'umm', 'uh', 'uhh', 'uhm', 'er', 'erm',
]);

/** Marks Whisper puts where speech trails off rather than ends. */
const TRAILING_MARK = /(?:,|;|:|\.\.\.|…|-|–|—)$/;

export type TTurnEndJudgement = { probability: number; reason: 'question' | 'trailing_mark' | 'trailing_word' | 'complete' };

/** Judges one transcript's end: how likely the speaker has finished, and why. */
export function judgeTurnEnd(transcript: string): TTurnEndJudgement {
  const text = transcript.trim().replace(/["“”'’)\]]+$/u, '');
  if (/[?!]$/.test(text)) return { probability: 0.95, reason: 'question' };
  if (TRAILING_MARK.test(text)) return { probability: 0.05, reason: 'trailing_mark' };
  const lastWord = text
    .replace(/[.]+$/, '')
    .split(/\s+/)
    .pop()
    ?.toLowerCase()
    .replace(/’/g, "'");
  if (lastWord && TRAILING_WORDS.has(lastWord)) return { probability: 0.05, reason: 'trailing_word' };
  return { probability: 0.9, reason: 'complete' };
}

/** The trainee's words of the turn being decided: the user messages after the agent last spoke. */
export function currentUserText(chatCtx: llm.ChatContext): string {
  const parts: string[] = [];
  for (let i = chatCtx.items.length - 1; i >= 0; i--) {
    const item = chatCtx.items[i]!;
    if (item.type !== 'message') continue;
    if (item.role !== 'user') break;
    parts.unshift(item.textContent ?? '');
  }
  return parts.join(' ').trim();
}

/**
 * The transcript-reading turn detector, in agents-js's text-detector shape (its internal
 * `_TurnDetector`, which LiveKit's own text model has; agents-js does not export the type, and
 * `turnHandling.turnDetection` checks this class against it). English only: for a transcript the
 * recogniser labels as another language it declines, and the scenario's shortest wait applies.
 */
export class TranscriptTurnDetector {
  readonly model = 'transcript-rules';
  readonly provider = 'avatar-adam';

  async supportsLanguage(language?: string): Promise<boolean> {
    return language === undefined || language === '' || language.toLowerCase().startsWith('en');
  }

  async unlikelyThreshold(): Promise<number> {
    return END_OF_TURN_THRESHOLD;
  }

  async predictEndOfTurn(chatCtx: llm.ChatContext): Promise<number> {
    return judgeTurnEnd(currentUserText(chatCtx)).probability;
  }
}
