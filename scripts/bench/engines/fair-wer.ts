import { wordErrorRate } from '../../../agent/src/providers/word-error-rate';

const ONES = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: [number, string][] = [
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
];

function belowThousand(n: number): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) words.push(ONES[hundreds]!, 'hundred');
  if (rest >= 20) {
    words.push(TENS[Math.floor(rest / 10)]!);
    if (rest % 10) words.push(ONES[rest % 10]!);
  } else if (rest > 0 || hundreds === 0) {
    words.push(ONES[rest]!);
  }
  return words;
}

/** A whole number as American English says it, without "and": 412 → four hundred twelve. */
export function integerWords(n: number): string[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number: ${n}`);
  if (n === 0) return ['zero'];
  const words: string[] = [];
  let rest = n;
  for (const [size, name] of SCALES) {
    if (rest >= size) {
      words.push(...integerWords(Math.floor(rest / size)), name);
      rest %= size;
    }
  }
  if (rest > 0) words.push(...belowThousand(rest));
  return words;
}

const ORDINAL_EXCEPTIONS: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

function ordinal(words: string[]): string[] {
  const last = words.at(-1) ?? '';
  const spoken = ORDINAL_EXCEPTIONS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return [...words.slice(0, -1), spoken];
}

// $1,234.56 · 6.9% · 72 · 1st — the integer part with or without thousands separators.
const NUMBER = /(\$\s?)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?(%|percent\b)|(st|nd|rd|th)\b)?/gi;

/**
 * Spells out the digits a recogniser writes, the way a speaker says them, so that "$412",
 * "6.9%" and "72-month" score the same as "four hundred twelve dollars", "six point nine percent"
 * and "seventy-two month". Text without digits is returned unchanged. Years ("2026" → "twenty
 * twenty-six") are not handled: the utterance set avoids them.
 */
export function spellNumbers(text: string): string {
  return text.replace(NUMBER, (_match, dollar?: string, whole?: string, fraction?: string, percent?: string, suffix?: string) => {
    const n = Number((whole ?? '0').replace(/,/g, ''));
    let words = integerWords(n);
    if (suffix) return ordinal(words).join(' ');
    if (dollar) {
      const cents = fraction?.length === 2 ? Number(fraction) : 0;
      words = [...words, n === 1 ? 'dollar' : 'dollars'];
      if (fraction && fraction.length !== 2) return [...integerWords(n), 'point', ...digitWords(fraction), 'dollars'].join(' ');
      if (cents > 0) words.push('and', ...integerWords(cents), cents === 1 ? 'cent' : 'cents');
      return words.join(' ');
    }
    if (fraction) words = [...words, 'point', ...digitWords(fraction)];
    if (percent) words.push('percent');
    return words.join(' ');
  });
}

function digitWords(digits: string): string[] {
  return [...digits].map((d) => ONES[Number(d)]!);
}

// Contractions a recogniser may or may not expand ("they're" / "they are"); "'s" and "'d" are
// ambiguous (is/has, would/had) and left alone.
const CONTRACTIONS: [RegExp, string][] = [
  [/\bwon't\b/gi, 'will not'],
  [/\bcan't\b/gi, 'can not'],
  [/\bcannot\b/gi, 'can not'],
  [/\b(\w+)n't\b/gi, '$1 not'],
  [/\b(\w+)'re\b/gi, '$1 are'],
  [/\b(\w+)'ll\b/gi, '$1 will'],
  [/\b(\w+)'ve\b/gi, '$1 have'],
  [/\b[Ii]'m\b/g, 'I am'],
];

export function expandContractions(text: string): string {
  return CONTRACTIONS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text.replace(/[‘’]/g, "'"));
}

/**
 * Joins "pre-paid" into "prepaid" when the other side of the pair has the joined word: a spelling
 * variant, not a misheard word (normalizeWords would otherwise count two errors for it).
 */
export function joinCompounds(text: string, otherSide: string): string {
  const other = new Set(otherSide.toLowerCase().split(/[^a-z']+/).filter(Boolean));
  return text.replace(/\b([A-Za-z]+)-([A-Za-z]+)\b/g, (match, a: string, b: string) =>
    other.has(`${a}${b}`.toLowerCase()) ? `${a}${b}` : match,
  );
}

/** Both sides of a pair made comparable: digits spelled out, contractions expanded, compounds matched. */
export function fairPair(pair: { reference: string; hypothesis: string }): { reference: string; hypothesis: string } {
  const reference = expandContractions(spellNumbers(pair.reference));
  const hypothesis = expandContractions(spellNumbers(pair.hypothesis));
  return { reference: joinCompounds(reference, hypothesis), hypothesis: joinCompounds(hypothesis, reference) };
}

/**
 * Corpus word error rate after {@link fairPair} on every pair, then the project's `normalizeWords`
 * (lower case, no punctuation, hyphens split) — as whisper's own English normaliser does before
 * scoring, so a recogniser is not charged for writing "$412" or "they are".
 */
export function fairWordErrorRate(pairs: readonly { reference: string; hypothesis: string }[]): number {
  return wordErrorRate(pairs.map(fairPair));
}
