import { tokenize } from '@livekit/agents';

/** The first chunk may be this short ("Sure,"): it is what the trainee waits for. */
const FIRST_CHUNK_MIN_CHARS = 4;
/** Later chunks gather clauses up to about a sentence, for natural prosody. */
const LATER_CHUNK_MIN_CHARS = 40;
/** Text held back before splitting, so a "Dr." or "6.9" is not taken for a sentence end. */
const CONTEXT_CHARS = 10;

/**
 * Splits text at sentence ends and at clause punctuation (", ", "; ", ": ", " — "). Written here
 * because agents-js's basic tokenizer splits at sentences only, and on a CPU the local model takes
 * a few hundred milliseconds to finish a first sentence that the voice could already be speaking.
 * Decimal points, abbreviations and numbers like "52,400" never split (the punctuation must be
 * followed by a space).
 */
export function splitSpeechClauses(text: string): string[] {
  const chunks: string[] = [];
  const boundary = /(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|vs|etc|e\.g|i\.e))([.!?]+["”’)]?|[,;:]|\s[—–-])\s+/g;
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].length;
    const chunk = text.slice(start, end).trim();
    if (chunk) chunks.push(chunk);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) chunks.push(rest);
  return chunks;
}

/** A sentence tokenizer whose first chunk ends at the first clause boundary. */
export class ClauseFirstTokenizer extends tokenize.SentenceTokenizer {
  tokenize(text: string): string[] {
    return splitSpeechClauses(text);
  }

  stream(): tokenize.SentenceStream {
    return new tokenize.BufferedSentenceStream(splitSpeechClauses, LATER_CHUNK_MIN_CHARS, CONTEXT_CHARS, {
      firstTokenLength: FIRST_CHUNK_MIN_CHARS,
    });
  }
}
