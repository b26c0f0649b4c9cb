import { PHONE_PIN_LENGTH } from '@avatar-adam/db';

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', nought: '0',
  one: '1', won: '1',
  two: '2', to: '2', too: '2',
  three: '3', tree: '3',
  four: '4', for: '4', fore: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8', ate: '8',
  nine: '9',
};

/**
 * The digits a caller said ("one two three, four five six", "1 2 3 4 5 6", "123-456"), in order.
 * Homophones ("for", "to") count only when the utterance is mostly digits, so "I'm calling for
 * practice" is not read as a 4.
 */
export function digitsFromSpeech(text: string): string {
  const tokens = text.toLowerCase().match(/[a-z]+|\d+/g) ?? [];
  const strong = tokens.filter((t) => /^\d+$/.test(t) || (t in DIGIT_WORDS && !['to', 'too', 'for', 'fore', 'won', 'ate', 'tree', 'o'].includes(t)));
  const mostlyDigits = strong.length * 2 >= tokens.length;
  let digits = '';
  for (const token of tokens) {
    if (/^\d+$/.test(token)) digits += token;
    else if (token === 'double' || token === 'triple') continue;
    else if (token in DIGIT_WORDS && (mostlyDigits || strong.includes(token))) digits += DIGIT_WORDS[token];
  }
  // "double five" → 55, "triple oh" → 000
  return expandRepeats(tokens, digits, mostlyDigits);
}

function expandRepeats(tokens: string[], digits: string, mostlyDigits: boolean): string {
  if (!tokens.includes('double') && !tokens.includes('triple')) return digits;
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const times = token === 'double' ? 2 : token === 'triple' ? 3 : 1;
    const target = times > 1 ? tokens[++i] : token;
    if (target === undefined) continue;
    const digit = /^\d+$/.test(target) ? target : mostlyDigits ? DIGIT_WORDS[target] : undefined;
    if (digit) out += digit.repeat(times);
  }
  return out;
}

export type TPinEvent = { kind: 'pin'; pin: string } | { kind: 'cleared' } | { kind: 'pending' };

/**
 * Collects a PIN from keypad presses and spoken digits. A PIN is complete at PHONE_PIN_LENGTH
 * digits or on "#"; "*" starts over. Spoken digits are added to what was typed, so a caller may
 * mix the two.
 */
export class PinCollector {
  private digits = '';

  constructor(private readonly length = PHONE_PIN_LENGTH) {}

  get entered(): string {
    return this.digits;
  }

  pressKey(key: string): TPinEvent {
    if (key === '*') {
      this.digits = '';
      return { kind: 'cleared' };
    }
    if (key === '#') return this.digits ? this.take() : { kind: 'pending' };
    if (!/^\d$/.test(key)) return { kind: 'pending' };
    this.digits += key;
    return this.digits.length >= this.length ? this.take() : { kind: 'pending' };
  }

  /**
   * A spoken utterance: its digits are added to those entered so far and complete the PIN at
   * PHONE_PIN_LENGTH. Fewer stay pending: callers pause between groups of digits ("four eight
   * one … five one six"), and the VAD ends an utterance at such a pause. Someone who said four
   * digits and stopped is answered by the caller of this class once the pause lasts
   * (`pressKey('#')` takes what was entered).
   */
  hear(text: string): TPinEvent {
    const spoken = digitsFromSpeech(text);
    if (!spoken) return { kind: 'pending' };
    this.digits += spoken;
    return this.digits.length >= this.length ? this.take() : { kind: 'pending' };
  }

  private take(): TPinEvent {
    const pin = this.digits;
    this.digits = '';
    return { kind: 'pin', pin };
  }
}

/**
 * Whether words the caller said may still be on their way: the recogniser starts when the VAD ends
 * an utterance, takes one at a time, and on a busy machine takes seconds for each. A pause timer
 * that runs out meanwhile must wait for them, or half a spoken PIN ("eight six one … five one
 * eight") would be checked before its second half arrives — also when the first half's words are
 * in and the second half's are still queued behind them.
 *
 * Counts the utterances not yet transcribed. The wait is bounded by `maxMs` from the latest sign
 * of progress (an utterance ending or a transcript arriving): an utterance that yields no words
 * (a cough) may give no transcript at all.
 */
export class TranscriptWait {
  private pending = 0;
  private since = 0;

  constructor(
    private readonly maxMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The caller stopped speaking: a transcript is on its way. */
  speechEnded(): void {
    this.pending++;
    this.since = this.now();
  }

  /** A final transcript arrived (with words or without). */
  transcribed(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.since = this.now();
  }

  /** How much longer to wait for transcripts; 0 when none is expected any more. */
  remainingMs(): number {
    if (this.pending === 0) return 0;
    const left = this.maxMs - (this.now() - this.since);
    if (left > 0) return left;
    this.pending = 0;
    return 0;
  }
}
