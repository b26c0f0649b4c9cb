/**
 * Transcript helpers shared by the scorers: the turn shape they read, sentence splitting (evidence
 * is always a whole sentence the trainee really said) and spoken-number normalisation (speech
 * recognisers write "four eighty-nine a month", not "$489 a month").
 */

export type TScoringTurn = {
  sequence: number;
  speaker: 'trainee' | 'agent';
  text: string;
  interrupted?: boolean;
};

export type TSentence = { turnSequence: number; text: string };

/** Sentences of one turn, trimmed, exactly as spoken (no rewriting, so quotes stay verifiable). */
export function splitSentences(text: string): string[] {
  // Split after . ! ? followed by whitespace; "$489.37" has no space after its dot, so it stays whole.
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function traineeSentences(turns: readonly TScoringTurn[]): TSentence[] {
  return sortedTurns(turns)
    .filter((t) => t.speaker === 'trainee')
    .flatMap((t) => splitSentences(t.text).map((text) => ({ turnSequence: t.sequence, text })));
}

export function sortedTurns(turns: readonly TScoringTurn[]): TScoringTurn[] {
  return [...turns].sort((a, b) => a.sequence - b.sequence);
}

/** Lower-cased, curly quotes straightened, spoken numbers turned into digits: for matching only. */
export function normaliseForMatching(text: string): string {
  return normaliseSpokenNumbers(text.toLowerCase().replace(/[\u2018\u2019]/g, "'"));
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
// Longest first, so "seventy" is never read as "seven" + leftovers.
const NUMBER_WORD = [...ONES, ...TEENS, ...TENS.filter(Boolean), 'hundred', 'thousand']
  .sort((a, b) => b.length - a.length)
  .join('|');
// A run of number words; "and", "oh" and "point" only count between number words.
const RUN = new RegExp(`\\b(?:${NUMBER_WORD})(?:[\\s-]+(?:(?:and|oh|point)[\\s-]+)?(?:${NUMBER_WORD}))*\\b`, 'gi');

/**
 * "four hundred eighty-nine" → 489, "four eighty-nine" / "five twelve" → 489 / 512 (the way people
 * say prices), "seventy-two" → 72, "six point four nine" → 6.49. Anything it cannot read with
 * confidence is left as words, so a strange phrase never turns into a wrong figure.
 */
export function normaliseSpokenNumbers(text: string): string {
  return text.replace(RUN, (run) => spokenRunToDigits(run) ?? run);
}

function spokenRunToDigits(run: string): string | null {
  const words = run.toLowerCase().split(/[\s-]+/);
  const point = words.indexOf('point');
  if (point >= 0) {
    const whole = spokenRunToDigits(words.slice(0, point).join(' '));
    const decimals = words.slice(point + 1).map((w) => ONES.indexOf(w));
    if (whole === null || decimals.length === 0 || decimals.some((d) => d < 0)) return null;
    return `${whole}.${decimals.join('')}`;
  }
  if (words.includes('hundred') || words.includes('thousand')) return cardinal(words);
  return colloquial(words);
}

/** Standard reading: "twelve hundred", "four hundred and eighty-nine", "two thousand fifty". */
function cardinal(words: string[]): string | null {
  let total = 0;
  let current = 0;
  for (const w of words) {
    if (w === 'and') continue;
    if (w === 'hundred') current = (current || 1) * 100;
    else if (w === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
    } else {
      const v = smallValue(w);
      if (v === null) return null;
      current += v;
    }
  }
  return String(total + current);
}

/** Groups said one after another: "four eighty-nine" = 4|89, "twelve fifty" = 12|50, "four oh five" = 4|05. */
function colloquial(words: string[]): string | null {
  const groups: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'and') return null;
    if (w === 'oh') {
      const next = ONES.indexOf(words[i + 1] ?? '');
      if (groups.length === 0 || next < 0) return null;
      groups.push(`0${next}`);
      i++;
      continue;
    }
    let v = smallValue(w)!;
    const next = words[i + 1];
    const tens = TENS.indexOf(w);
    if (tens >= 2 && next && ONES.indexOf(next) > 0) {
      v += ONES.indexOf(next);
      i++;
    }
    // After the first group only two-digit groups make sense ("four nine" is not a price).
    if (groups.length > 0 && v < 10) return null;
    groups.push(groups.length > 0 ? String(v).padStart(2, '0') : String(v));
  }
  return groups.join('');
}

function smallValue(w: string): number | null {
  if (ONES.includes(w)) return ONES.indexOf(w);
  if (TEENS.includes(w)) return 10 + TEENS.indexOf(w);
  if (TENS.includes(w) && w) return 10 * TENS.indexOf(w);
  return null;
}
